package org.transformer4j.cli.figures;

import java.awt.Graphics2D;

/**
 * One figure of {@code t4j illustrate}, drawn with Java2D so that the same drawing gives an SVG file (through
 * JFreeSVG) or a PNG (through a {@link java.awt.image.BufferedImage}): see {@link FigureFiles}.
 */
public interface Figure {

    /** Width in points (SVG user units; a PNG is drawn at twice this). */
    int width();

    int height();

    void paint(Graphics2D g);
}
