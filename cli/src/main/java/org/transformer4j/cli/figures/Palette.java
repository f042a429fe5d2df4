package org.transformer4j.cli.figures;

import java.awt.Color;
import java.awt.Font;

/** The colours and fonts of the figures: those of the pages (pages/common.js), so both look alike. */
final class Palette {

    static final Color INK = new Color(0x1f2933);
    static final Color MUTED = new Color(0x616e7c);
    static final Color LINE = new Color(0xd9e2ec);
    static final Color ACCENT = new Color(0xd9480f);
    static final Color BLUE = new Color(0x1c7ed6);
    static final Color BAR = new Color(0x4292c6);
    static final Color GREEN = new Color(0x2b8a3e);
    static final Color PRUNED = new Color(0xe9ecef);
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    static final Font TOKEN = new Font(Font.MONOSPACED, Font.PLAIN, 11);

    private static final int[][] BLUES = {{255, 255, 255}, {222, 235, 247}, {158, 202, 225}, {66, 146, 198}, {33, 113, 181},
        {8, 48, 107}};
    private static final int[][] DIVERGING = {{33, 102, 172}, {103, 169, 207}, {209, 229, 240}, {247, 247, 247},
        {253, 219, 199}, {239, 138, 98}, {178, 24, 43}};

    private Palette() {
    }

    /** Attention weights, 0..1: white to deep blue. */
    static Color sequential(double v) {
        return lerp(BLUES, v);
    }

    /** Vectors, -1..1: blue, white, red. */
    static Color diverging(double v) {
        return lerp(DIVERGING, (v + 1) / 2);
    }

    private static Color lerp(int[][] stops, double v) {
        double x = Math.max(0, Math.min(1, v)) * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) Math.floor(x));
        double f = x - i;
        int[] a = stops[i];
        int[] b = stops[i + 1];
        return new Color((int) Math.round(a[0] + (b[0] - a[0]) * f), (int) Math.round(a[1] + (b[1] - a[1]) * f),
                (int) Math.round(a[2] + (b[2] - a[2]) * f));
    }
}
