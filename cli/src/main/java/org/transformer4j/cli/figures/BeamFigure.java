package org.transformer4j.cli.figures;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.RoundRectangle2D;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.transformer4j.decoding.illustrate.Illustration.BeamTree;
import org.transformer4j.decoding.illustrate.Illustration.Node;
import org.transformer4j.decoding.illustrate.Illustration.NodeKind;

/**
 * The beam search as a trellis: one column per step, candidates ranked top to bottom, lines to the hypotheses they
 * extend; kept in blue, pruned in grey, finished in green, the best translation's path in orange.
 */
public final class BeamFigure implements Figure {

    private static final int COL = 100;
    private static final int ROW = 34;
    private static final int TOP = 44;

    private final String title;
    private final List<Node> nodes;
    private final int slots;
    private final int steps;
    private final Set<Integer> best = new HashSet<>();

    public BeamFigure(String title, BeamTree tree) {
        this.title = title;
        this.nodes = tree.nodes();
        this.slots = 2 * tree.beamSize();
        this.steps = nodes.stream().mapToInt(Node::step).max().orElse(0);
        nodes.stream().filter(n -> n.nbestRank() == 1).findFirst().ifPresent(n -> {
            for (int id = n.id(); id >= 0; id = nodes.get(id).parent()) {
                best.add(id);
            }
        });
    }

    @Override
    public int width() {
        return 40 + (steps + 1) * COL;
    }

    @Override
    public int height() {
        return TOP + slots * ROW + 10;
    }

    private double x(Node n) {
        return 20 + n.step() * COL + (COL - 14) / 2.0;
    }

    private double y(Node n) {
        return TOP + (n.kind() == NodeKind.ROOT ? (slots - 1) * ROW / 2.0 : n.rank() * ROW) + 12;
    }

    @Override
    public void paint(Graphics2D g) {
        g.setColor(Palette.INK);
        g.setFont(Palette.TITLE);
        g.drawString(title, 12, 22);
        for (boolean lit : new boolean[] {false, true}) { // the path over the rest
            for (Node n : nodes) {
                if (n.parent() < 0 || best.contains(n.id()) != lit) {
                    continue;
                }
                Node p = nodes.get(n.parent());
                g.setStroke(new BasicStroke(lit ? 3f : 1.2f));
                g.setColor(lit ? Palette.ACCENT : n.kind() == NodeKind.PRUNED ? new Color(0xdee2e6) : new Color(0xa5d8ff));
                g.draw(new Line2D.Double(x(p) + (COL - 14) / 2.0, y(p), x(n) - (COL - 14) / 2.0, y(n)));
            }
        }
        g.setFont(Palette.TOKEN);
        FontMetrics fm = g.getFontMetrics();
        for (Node n : nodes) {
            double w = COL - 14;
            RoundRectangle2D box = new RoundRectangle2D.Double(x(n) - w / 2, y(n) - 12, w, 24, 8, 8);
            g.setColor(switch (n.kind()) {
                case ROOT -> new Color(0x495057);
                case KEPT -> Palette.BLUE;
                case FINISHED -> Palette.GREEN;
                case PRUNED -> Palette.PRUNED;
            });
            g.fill(box);
            if (best.contains(n.id())) {
                g.setStroke(new BasicStroke(2.5f));
                g.setColor(Palette.ACCENT);
                g.draw(box);
            }
            String label = n.text().length() > 10 ? n.text().substring(0, 9) + "…" : n.text();
            if (n.nbestRank() > 0) {
                label += " #" + n.nbestRank();
            }
            g.setColor(n.kind() == NodeKind.PRUNED ? Palette.MUTED : Color.WHITE);
            g.drawString(label, (float) (x(n) - fm.stringWidth(label) / 2.0), (float) (y(n) + fm.getAscent() / 2.0 - 1));
        }
    }
}
