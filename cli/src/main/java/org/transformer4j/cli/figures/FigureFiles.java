package org.transformer4j.cli.figures;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.jfree.svg.SVGGraphics2D;
import org.transformer4j.model.io.AtomicFiles;

/** Writes a {@link Figure} as an SVG document or a PNG image (at twice its size, for sharp slides), atomically. */
public final class FigureFiles {

    private FigureFiles() {
    }

    public static void write(Figure figure, String format, Path out) throws IOException {
        switch (format) {
            case "svg" -> AtomicFiles.writeString(out, svg(figure));
            case "png" -> {
                BufferedImage image = png(figure, 2);
                AtomicFiles.write(out, stream -> {
                    if (!ImageIO.write(image, "png", stream)) {
                        throw new IOException("no PNG writer in this Java runtime");
                    }
                });
            }
            default -> throw new IllegalArgumentException("unknown figure format '" + format + "': svg or png");
        }
    }

    public static String svg(Figure figure) {
        SVGGraphics2D g = new SVGGraphics2D(figure.width(), figure.height());
        prepare(g, figure);
        figure.paint(g);
        return g.getSVGDocument();
    }

    public static BufferedImage png(Figure figure, int scale) {
        BufferedImage image = new BufferedImage(figure.width() * scale, figure.height() * scale, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.scale(scale, scale);
            prepare(g, figure);
            figure.paint(g);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void prepare(Graphics2D g, Figure figure) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, figure.width(), figure.height());
    }
}
