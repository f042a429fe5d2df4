package org.transformer4j.cli.figures;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A matrix of cells with labelled rows and columns and a colour bar: an attention head ({@link #attention}) or the
 * position encodings ({@link #positions}).
 */
public final class HeatmapFigure implements Figure {

    private final String title;
    private final float[][] values;
    private final List<String> rowLabels;
    private final List<String> columnLabels; // null: numbered ticks
    private final DoubleFunction<Color> color; // takes values in [min, max]
    private final double min;
    private final double max;
    private final double cellW;
    private final double cellH;
    private final int left;
    private final int top;

    private HeatmapFigure(String title, float[][] values, List<String> rowLabels, List<String> columnLabels,
            DoubleFunction<Color> color, double min, double max, double cellW, double cellH) {
        this.title = title;
        this.values = values;
        this.rowLabels = rowLabels;
        this.columnLabels = columnLabels;
        this.color = color;
        this.min = min;
        this.max = max;
        this.cellW = cellW;
        this.cellH = cellH;
        this.left = 24 + 7 * rowLabels.stream().mapToInt(String::length).max().orElse(4);
        this.top = columnLabels == null ? 48 : 40 + (int) (5.5 * columnLabels.stream().mapToInt(String::length).max().orElse(4));
    }

    /** One head's weights, {@code [query][key]}: rows the positions looking, columns those looked at. */
    public static HeatmapFigure attention(String title, float[][] weights, List<String> queries, List<String> keys) {
        double cell = Math.max(10, Math.min(26, 640.0 / Math.max(queries.size(), keys.size())));
        return new HeatmapFigure(title, weights, queries, keys, Palette::sequential, 0, 1, cell, cell);
    }

    /** The position encodings {@code [position][dimension]}, rows labelled with the sentence's subwords. */
    public static HeatmapFigure positions(String title, float[][] pe, List<String> tokens) {
        int d = pe[0].length;
        double cellW = Math.max(1, Math.min(4, 1024.0 / d));
        double cellH = Math.max(6, Math.min(18, 420.0 / pe.length));
        List<String> rows = new java.util.ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            rows.add(i + " " + tokens.get(i));
        }
        return new HeatmapFigure(title, pe, rows, null, Palette::diverging, -1, 1, cellW, cellH);
    }

    @Override
    public int width() {
        return (int) Math.ceil(left + values[0].length * cellW + 90);
    }

    @Override
    public int height() {
        return (int) Math.ceil(top + values.length * cellH + 24);
    }

    @Override
    public void paint(Graphics2D g) {
        g.setColor(Palette.INK);
        g.setFont(Palette.TITLE);
        g.drawString(title, 12, 20);
        int rows = values.length;
        int cols = values[0].length;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                g.setColor(color.apply(values[r][c]));
                // cells overlap by a hair so that no background shows between them when scaled
                g.fill(new Rectangle2D.Double(left + c * cellW, top + r * cellH, cellW + 0.3, cellH + 0.3));
            }
        }
        g.setFont(Palette.TOKEN);
        g.setColor(Palette.INK);
        FontMetrics fm = g.getFontMetrics();
        int every = Math.max(1, (int) Math.ceil(fm.getHeight() / cellH));
        for (int r = 0; r < rows; r += every) {
            String s = rowLabels.get(r);
            g.drawString(s, left - 6 - fm.stringWidth(s), (float) (top + (r + 0.5) * cellH + fm.getAscent() / 2.0 - 1));
        }
        if (columnLabels != null) {
            int everyCol = Math.max(1, (int) Math.ceil(fm.getHeight() / cellW));
            for (int c = 0; c < cols; c += everyCol) {
                AffineTransform saved = g.getTransform();
                g.translate(left + (c + 0.5) * cellW + fm.getAscent() / 2.0 - 1, top - 6);
                g.rotate(-Math.PI / 3);
                g.drawString(columnLabels.get(c), 0, 0);
                g.setTransform(saved);
            }
        } else {
            g.setFont(Palette.LABEL);
            g.setColor(Palette.MUTED);
            int step = cols > 256 ? 64 : cols > 64 ? 32 : 8;
            for (int c = 0; c < cols; c += step) {
                g.drawString(Integer.toString(c), (float) (left + c * cellW), top - 6);
            }
            g.drawString("dimension →", (float) (left + cols * cellW - 70), 36);
        }
        legend(g, (int) Math.ceil(left + cols * cellW + 16), top);
    }

    private void legend(Graphics2D g, int x, int y) {
        int h = (int) Math.min(160, Math.max(60, values.length * cellH));
        for (int i = 0; i < h; i++) {
            g.setColor(color.apply(max - (max - min) * i / (h - 1)));
            g.fillRect(x, y + i, 12, 1);
        }
        g.setColor(Palette.MUTED);
        g.setFont(Palette.LABEL);
        g.drawString(String.format(Locale.ROOT, "%.1f", max), x + 16, y + 9);
        g.drawString(String.format(Locale.ROOT, "%.1f", min), x + 16, y + h);
    }
}
