package org.transformer4j.training.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;


/**
 * Reads the lines of a text file strictly as UTF-8: an invalid byte sequence is an error naming the file and
 * line, never a silent replacement character. Files whose name ends in {@code .gz} are gunzipped. Line ends
 * are {@code \n} or {@code \r\n}; a last line without a line end counts.
 */
public final class TextLines {

    private TextLines() {
    }

    public static List<String> read(Path file) {
        if (!Files.exists(file)) {
            throw new DataException(file + " not found");
        }
        if (Files.isDirectory(file)) {
            throw new DataException(file + " is a directory, not a text file");
        }
        try (InputStream in = open(Files.newInputStream(file), file.toString())) {
            return decode(in.readAllBytes(), file.toString());
        } catch (NoSuchFileException e) {
            throw new DataException(file + " not found");
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a class-path resource (the bundled corpus); {@code name} is used in messages. */
    public static List<String> readResource(String resource, String name) {
        InputStream raw = TextLines.class.getResourceAsStream(resource);
        if (raw == null) {
            throw new DataException("missing bundled resource " + resource);
        }
        try (InputStream in = open(raw, resource)) {
            return decode(in.readAllBytes(), name);
        } catch (IOException e) {
            throw new DataException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    private static InputStream open(InputStream in, String name) throws IOException {
        return name.endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /** Splits {@code bytes} into lines and decodes each strictly, so an error can name its line. */
    static List<String> decode(byte[] bytes, String name) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> lines = new ArrayList<>();
        int start = 0;
        int lineNumber = 1;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            int contentEnd = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
            try {
                CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, start, contentEnd - start));
                lines.add(chars.toString());
            } catch (CharacterCodingException e) {
                throw new DataException(name + " line " + lineNumber + ": invalid UTF-8 (the file must be UTF-8 text)");
            }
            start = end + 1;
            lineNumber++;
        }
        return lines;
    }
}
