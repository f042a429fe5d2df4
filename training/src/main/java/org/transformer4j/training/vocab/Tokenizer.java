package org.transformer4j.training.vocab;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A byte-pair-encoding subword vocabulary with byte fallback, encoding exactly as the Hugging Face tokenizers
 * library does with the {@code tokenizer.json} that {@link #write} produces (a test runs the real library to
 * prove it).
 *
 * <p>Ids: {@code <pad>} 0, {@code <bos>} 1, {@code <eos>} 2, {@code <unk>} 3, then the 256 byte tokens
 * {@code <0x00>}..{@code <0xFF>} (ids 4-259), then the learned alphabet and the merged tokens in merge order.
 * A character outside the vocabulary is spelled as the byte tokens of its UTF-8 encoding, so nothing is lost;
 * decoding fuses them back.
 *
 * <p>Encoding (Hugging Face BPE): text is {@link Normalizer normalised} and split into words; each word starts
 * as single characters, then the adjacent pair with the lowest merge rank is merged, the leftmost one when it
 * occurs more than once, until no adjacent pair has a merge. Immutable and thread-safe; words are cached.
 */
public final class Tokenizer {

    public static final int PAD = 0;
    public static final int BOS = 1;
    public static final int EOS = 2;
    public static final int UNK = 3;
    /** The id of byte token {@code <0x00>}; byte b is {@code FIRST_BYTE + b}. */
    public static final int FIRST_BYTE = 4;
    static final List<String> SPECIALS = List.of("<pad>", "<bos>", "<eos>", "<unk>");

    private final List<String> tokens;
    private final Map<String, Integer> ids;
    private final List<String[]> merges;
    /** (left id, right id) → rank, and → merged id; keyed by {@link #pair}. */
    private final Map<Long, Integer> mergeRank;
    private final Map<Long, Integer> mergeResult;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * @param tokens every token, by id (specials and byte tokens first, as above)
     * @param merges the merges in rank order, each a pair of tokens whose concatenation is a token
     */
    Tokenizer(List<String> tokens, List<String[]> merges) {
        this.tokens = List.copyOf(tokens);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (index.put(tokens.get(i), i) != null) {
                throw new IllegalArgumentException("token '" + tokens.get(i) + "' appears twice in the vocabulary");
            }
        }
        for (int i = 0; i < SPECIALS.size(); i++) {
            if (!SPECIALS.get(i).equals(tokens.get(i))) {
                throw new IllegalArgumentException("token " + i + " must be " + SPECIALS.get(i) + ", not " + tokens.get(i));
            }
        }
        for (int b = 0; b < 256; b++) {
            if (!byteToken(b).equals(tokens.get(FIRST_BYTE + b))) {
                throw new IllegalArgumentException("token " + (FIRST_BYTE + b) + " must be the byte token " + byteToken(b));
            }
        }
        this.ids = Collections.unmodifiableMap(index);
        this.merges = List.copyOf(merges);
        this.mergeRank = new HashMap<>();
        this.mergeResult = new HashMap<>();
        for (int rank = 0; rank < merges.size(); rank++) {
            String[] m = merges.get(rank);
            Integer left = index.get(m[0]);
            Integer right = index.get(m[1]);
            Integer merged = index.get(m[0] + m[1]);
            if (left == null || right == null || merged == null) {
                throw new IllegalArgumentException("merge '" + m[0] + " " + m[1] + "' uses a token missing from the vocabulary");
            }
            mergeRank.putIfAbsent(pair(left, right), rank);
            mergeResult.putIfAbsent(pair(left, right), merged);
        }
    }

    static long pair(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** The token of byte {@code b}: {@code <0x41>} for 65. */
    static String byteToken(int b) {
        return String.format(Locale.ROOT, "<0x%02X>", b);
    }

    /** The number of tokens, special and byte tokens included. */
    public int size() {
        return tokens.size();
    }

    public String token(int id) {
        return tokens.get(id);
    }

    /** The id of {@code token}, or -1 when it is not in the vocabulary. */
    public int id(String token) {
        return ids.getOrDefault(token, -1);
    }

    /** The merges in rank order (pairs of tokens). */
    List<String[]> merges() {
        return merges;
    }

    List<String> tokens() {
        return tokens;
    }

    /** The ids of {@code text}, normalised, without {@code <bos>} or {@code <eos>}. */
    public int[] encode(String text) {
        List<String> words = Normalizer.words(Normalizer.normalize(text));
        int total = 0;
        int[][] parts = new int[words.size()][];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = cache.computeIfAbsent(words.get(i), this::encodeWord);
            total += parts[i].length;
        }
        int[] out = new int[total];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** The subword tokens of {@code text}, for inspection. */
    public List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        for (int id : encode(text)) {
            out.add(tokens.get(id));
        }
        return out;
    }

    private int[] encodeWord(String word) {
        List<Integer> symbols = new ArrayList<>();
        word.codePoints().forEach(cp -> {
            String ch = Character.toString(cp);
            Integer id = ids.get(ch);
            if (id != null) {
                symbols.add(id);
            } else {
                for (byte b : ch.getBytes(StandardCharsets.UTF_8)) {
                    symbols.add(FIRST_BYTE + (b & 0xFF));
                }
            }
        });
        while (symbols.size() > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                Integer rank = mergeRank.get(pair(symbols.get(i), symbols.get(i + 1)));
                if (rank != null && rank < bestRank) { // strict: the leftmost of equal ranks wins
                    bestRank = rank;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            int merged = mergeResult.get(pair(symbols.get(best), symbols.get(best + 1)));
            symbols.set(best, merged);
            symbols.remove(best + 1);
        }
        return symbols.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The text of {@code ids}: special tokens are skipped, byte tokens are fused back into UTF-8 (an invalid
     * sequence becomes U+FFFD, as in the Hugging Face decoder), {@code ▁} becomes a space and the leading
     * space is removed.
     */
    public String decode(int[] ids) {
        StringBuilder text = new StringBuilder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) {
            if (id < 0 || id >= tokens.size()) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + tokens.size());
            }
            if (id < FIRST_BYTE) {
                continue;
            }
            if (id < FIRST_BYTE + 256) {
                bytes.write(id - FIRST_BYTE);
                continue;
            }
            flush(bytes, text);
            text.append(tokens.get(id));
        }
        flush(bytes, text);
        String s = text.toString().replace(Normalizer.SPACE_MARK, ' ');
        return s.startsWith(" ") ? s.substring(1) : s;
    }

    private static void flush(ByteArrayOutputStream bytes, StringBuilder text) {
        if (bytes.size() > 0) {
            text.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
            bytes.reset();
        }
    }

    /** Reads a {@code tokenizer.json} written by {@link #write} (or of the same layout). */
    public static Tokenizer read(Path file) {
        return TokenizerJson.read(file);
    }

    /** Writes this vocabulary as a Hugging Face {@code tokenizer.json}, atomically. */
    public void write(Path file) {
        TokenizerJson.write(this, file);
    }
}
