package org.transformer4j.model.vocab;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns tokens back into text with the steps of the tokenizer.json decoder, in its order:
 * <ol>
 * <li>ByteFallback: each run of byte tokens becomes the text its bytes spell in UTF-8; a run that is not
 * valid UTF-8 becomes one U+FFFD per byte.</li>
 * <li>Metaspace: {@code ▁} becomes a space, except in the first piece, where the library drops it (that is
 * the space Metaspace put in front when encoding).</li>
 * <li>Fuse: the pieces are joined.</li>
 * </ol>
 * For a normalised text without {@code ▁} of its own, decoding its encoding gives the text back exactly.
 */
final class TextDecoder {

    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream pendingBytes = new ByteArrayOutputStream();
    private int pieces;

    private TextDecoder() {
    }

    static String decode(List<String> tokens) {
        TextDecoder decoder = new TextDecoder();
        for (String token : tokens) {
            int b = ByteTokens.parse(token);
            if (b >= 0) {
                decoder.pendingBytes.write(b);
            } else {
                decoder.flushBytes();
                decoder.piece(token);
            }
        }
        decoder.flushBytes();
        return decoder.text.toString();
    }

    private void flushBytes() {
        if (pendingBytes.size() == 0) {
            return;
        }
        byte[] bytes = pendingBytes.toByteArray();
        pendingBytes.reset();
        try {
            piece(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            for (int i = 0; i < bytes.length; i++) {
                piece("\uFFFD");
            }
        }
    }

    private void piece(String piece) {
        if (pieces++ == 0) {
            text.append(piece.replace(String.valueOf(PreTokenizer.METASPACE), ""));
        } else {
            text.append(piece.replace(PreTokenizer.METASPACE, ' '));
        }
    }
}
