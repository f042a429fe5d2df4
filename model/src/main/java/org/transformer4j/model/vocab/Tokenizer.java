package org.transformer4j.model.vocab;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A learned byte-pair-encoding subword vocabulary: text to token ids and back, with the ids and the merge
 * semantics of the Hugging Face tokenizers library, so that a {@code tokenizer.json} written here gives the
 * same ids there. Immutable and thread-safe.
 *
 * <p>Ids: {@code <pad>}=0, {@code <bos>}=1, {@code <eos>}=2, {@code <unk>}=3; then the 256 byte tokens
 * {@code <0x00>}..{@code <0xFF>} (4..259), through which a character missing from the vocabulary is encoded as
 * its UTF-8 bytes; then the learned alphabet (single characters such as "a" or "▁"); then the merged tokens in
 * the order their merges were learned.
 *
 * <p>Encoding: the text is split on spelled-out special tokens, normalised ({@link #normalize}) and cut into
 * words at spaces ("▁" in front of each word); each word starts as its characters and then, while some
 * adjacent pair has a merge, merges the pair learned first (its leftmost occurrence first). The package
 * documentation describes the whole pipeline.
 */
public final class Tokenizer {

    public static final int PAD = 0;
    public static final int BOS = 1;
    public static final int EOS = 2;
    public static final int UNK = 3;
    /** The special tokens, at their ids. */
    public static final List<String> SPECIAL_TOKENS = List.of("<pad>", "<bos>", "<eos>", "<unk>");
    /** The usual name of the file {@link #write} produces. */
    public static final String FILE_NAME = "tokenizer.json";

    /** Beyond this many distinct words the cache stops growing (a few MB); encoding stays correct, only slower. */
    private static final int WORD_CACHE_LIMIT = 1 << 17;

    private final String[] tokens;
    private final Map<String, Integer> ids;
    private final List<Merge> merges;
    private final MergeTable mergeTable;
    private final Map<String, int[]> wordCache = new ConcurrentHashMap<>();

    /**
     * @param tokens every token, at its id; checked for the fixed special and byte tokens
     * @param merges the merges in the order they were learned; each result must be a token
     * @throws IllegalArgumentException with one line saying what is wrong
     */
    Tokenizer(List<String> tokens, List<Merge> merges) {
        this.tokens = tokens.toArray(String[]::new);
        this.ids = new HashMap<>(tokens.size() * 2);
        this.merges = List.copyOf(merges);
        checkFixedTokens();
        for (int id = 0; id < this.tokens.length; id++) {
            String token = this.tokens[id];
            if (token == null || token.isEmpty()) {
                throw new IllegalArgumentException("token " + id + " is empty");
            }
            Integer twin = ids.putIfAbsent(token, id);
            if (twin != null) {
                throw new IllegalArgumentException("the token \"" + token + "\" appears twice, at ids " + twin + " and " + id);
            }
        }
        int[] results = new int[merges.size()];
        Set<Long> seen = new HashSet<>();
        for (int rank = 0; rank < merges.size(); rank++) {
            Merge m = merges.get(rank);
            if (m.left() < 0 || m.left() >= this.tokens.length || m.right() < 0 || m.right() >= this.tokens.length) {
                throw new IllegalArgumentException("merge " + rank + " names a token id outside 0.." + (this.tokens.length - 1));
            }
            String merged = this.tokens[m.left()] + this.tokens[m.right()];
            Integer result = ids.get(merged);
            if (result == null) {
                throw new IllegalArgumentException("merge " + rank + " (\"" + this.tokens[m.left()] + "\", \""
                        + this.tokens[m.right()] + "\") makes \"" + merged + "\", which is not in the vocabulary");
            }
            if (!seen.add(m.key())) {
                throw new IllegalArgumentException("merge " + rank + " (\"" + this.tokens[m.left()] + "\", \""
                        + this.tokens[m.right()] + "\") appears twice");
            }
            results[rank] = result;
        }
        this.mergeTable = new MergeTable(this.merges, results);
    }

    private void checkFixedTokens() {
        if (tokens.length < ByteTokens.END_ID) {
            throw new IllegalArgumentException("the vocabulary has " + tokens.length + " tokens, fewer than the "
                    + ByteTokens.END_ID + " fixed special and byte tokens");
        }
        for (int id = 0; id < SPECIAL_TOKENS.size(); id++) {
            expect(id, SPECIAL_TOKENS.get(id));
        }
        for (int b = 0; b < 256; b++) {
            expect(ByteTokens.FIRST_ID + b, ByteTokens.name(b));
        }
    }

    private void expect(int id, String token) {
        if (!token.equals(tokens[id])) {
            throw new IllegalArgumentException("id " + id + " must be the token \"" + token + "\" but is \"" + tokens[id] + "\"");
        }
    }

    /**
     * The ids of a text, without {@code <bos>} or {@code <eos>}: it is normalised first, so "  Hola,\tmundo "
     * and "Hola, mundo" encode alike. A special token spelled out in the text ("&lt;eos&gt;") becomes its id, as
     * in the Hugging Face library; characters the vocabulary lacks become byte tokens, never {@code <unk>}.
     */
    public int[] encode(String text) {
        IntList out = new IntList(Math.max(8, text.length() / 3));
        PreTokenizer.split(text, new PreTokenizer.Sink() {
            @Override
            public void special(int id) {
                out.add(id);
            }

            @Override
            public void word(String word) {
                out.addAll(encodeWord(word));
            }
        });
        return out.toArray();
    }

    private int[] encodeWord(String word) {
        int[] cached = wordCache.get(word);
        if (cached != null) {
            return cached;
        }
        IntList symbols = new IntList(word.length());
        word.codePoints().forEach(cp -> {
            String character = Character.toString(cp);
            Integer id = ids.get(character);
            if (id != null) {
                symbols.add(id);
            } else {
                for (byte b : character.getBytes(StandardCharsets.UTF_8)) {
                    symbols.add(ByteTokens.id(b));
                }
            }
        });
        int[] encoded = mergeTable.apply(symbols.toArray());
        if (wordCache.size() < WORD_CACHE_LIMIT) {
            wordCache.putIfAbsent(word, encoded);
        }
        return encoded;
    }

    /**
     * The text of some ids, special tokens skipped: byte tokens are joined back into UTF-8 characters, "▁"
     * becomes a space, and the space in front of the first word is dropped. {@code decode(encode(t))} equals
     * {@code normalize(t)} for every text {@code t} that spells no special token and contains no "▁".
     *
     * @throws IllegalArgumentException for an id outside {@code 0..size()-1}
     */
    public String decode(int[] ids) {
        List<String> pieces = new ArrayList<>(ids.length);
        for (int id : ids) {
            String token = token(id);
            if (id >= SPECIAL_TOKENS.size()) {
                pieces.add(token);
            }
        }
        return TextDecoder.decode(pieces);
    }

    /** The number of tokens; ids run from 0 to {@code size() - 1}. */
    public int size() {
        return tokens.length;
    }

    /**
     * The token with this id, e.g. "▁casa", "<0xC3>" or "<eos>".
     *
     * @throws IllegalArgumentException for an id outside {@code 0..size()-1}
     */
    public String token(int id) {
        if (id < 0 || id >= tokens.length) {
            throw new IllegalArgumentException("token id " + id + " is outside this vocabulary of " + tokens.length + " tokens");
        }
        return tokens[id];
    }

    /** The id of a token (spelled as {@link #token} spells it), or -1 when the vocabulary has no such token. */
    public int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    /**
     * The normalised form of a text, which is what {@link #encode} sees and {@link #decode} gives back: Unicode
     * NFC, every run of white space (the Unicode White_Space property) replaced by one space, no space at either
     * end. A lone UTF-16 surrogate becomes U+FFFD.
     */
    public static String normalize(String text) {
        return TextNormalization.normalize(text);
    }

    /**
     * Reads a {@code tokenizer.json} written by {@link #write}.
     *
     * @throws java.io.UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException naming the file, when it is not such a tokenizer (not JSON, not BPE, other
     *         normalisation or special tokens, ...)
     */
    public static Tokenizer read(Path tokenizerJson) {
        return TokenizerJson.read(tokenizerJson);
    }

    /**
     * Writes this vocabulary as a Hugging Face {@code tokenizer.json}, atomically (a reader sees the old file or
     * the whole new one). The output depends on the vocabulary only, byte for byte.
     *
     * @throws java.io.UncheckedIOException when the file cannot be written
     */
    public void write(Path tokenizerJson) {
        TokenizerJson.write(this, tokenizerJson);
    }

    /** The tokens in id order, for the writer. */
    List<String> tokens() {
        return List.of(tokens);
    }

    /** The merges in the order they were learned, for the writer. */
    List<Merge> merges() {
        return merges;
    }
}
