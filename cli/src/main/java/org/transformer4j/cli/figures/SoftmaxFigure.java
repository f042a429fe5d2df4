package org.transformer4j.cli.figures;

import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.RoundRectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.transformer4j.decoding.illustrate.Illustration.OutputStep;
import org.transformer4j.decoding.illustrate.Illustration.TokenProbability;

/** One output step's softmax: the most probable next subwords as bars, the one the translation took in orange. */
public final class SoftmaxFigure implements Figure {

    private static final int ROW = 24;
    private static final int LEFT = 150;
    private static final int BAR = 420;

    private final String title;
    private final OutputStep step;
    private final List<TokenProbability> rows;

    public SoftmaxFigure(String title, OutputStep step) {
        this.title = title;
        this.step = step;
        this.rows = new ArrayList<>(step.top());
        if (rows.stream().noneMatch(t -> t.id() == step.chosen().id())) {
            rows.add(step.chosen()); // outside the top-k: shown last
        }
    }

    @Override
    public int width() {
        return LEFT + BAR + 80;
    }

    @Override
    public int height() {
        return 44 + rows.size() * ROW + 12;
    }

    @Override
    public void paint(Graphics2D g) {
        g.setColor(Palette.INK);
        g.setFont(Palette.TITLE);
        g.drawString(title, 12, 22);
        double max = rows.stream().mapToDouble(TokenProbability::probability).max().orElse(1);
        double scale = Math.min(1, Math.ceil(max * 10 + 0.5) / 10); // the axis ends at the next tenth
        g.setFont(Palette.TOKEN);
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i < rows.size(); i++) {
            TokenProbability t = rows.get(i);
            int y = 40 + i * ROW;
            g.setColor(Palette.INK);
            g.drawString(t.token(), LEFT - 8 - fm.stringWidth(t.token()), y + 15);
            double w = Math.max(1, BAR * t.probability() / scale);
            g.setColor(t.id() == step.chosen().id() ? Palette.ACCENT : Palette.BAR);
            g.fill(new RoundRectangle2D.Double(LEFT, y + 3, w, ROW - 7, 4, 4));
            g.setColor(Palette.MUTED);
            g.drawString(String.format(Locale.ROOT, "%.1f%%", 100 * t.probability()), (float) (LEFT + w + 6), y + 15);
        }
    }
}
