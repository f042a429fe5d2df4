package org.transformer4j.model.vocab;

/**
 * The 256 byte-fallback tokens {@code <0x00>}..{@code <0xFF>} at ids 4..259: a character missing from the
 * vocabulary is encoded as the tokens of its UTF-8 bytes, so no text is ever lost to {@code <unk>}. The
 * spelling (uppercase hex) is Llama's, which the Hugging Face BPE model looks up as {@code <{byte:#04X}>}.
 */
final class ByteTokens {

    /** The id of byte 0x00; byte {@code b} has id {@code FIRST_ID + b}. */
    static final int FIRST_ID = 4;
    /** One past the id of byte 0xFF: the first id of the learned alphabet. */
    static final int END_ID = FIRST_ID + 256;

    private ByteTokens() {
    }

    /** The token of byte {@code b} (0..255), e.g. {@code <0x0A>}. */
    static String name(int b) {
        return String.format("<0x%02X>", b);
    }

    static int id(byte b) {
        return FIRST_ID + (b & 0xFF);
    }

    /**
     * The byte a token stands for in the Hugging Face ByteFallback decoder, or -1 when it stands for none. That
     * decoder takes any 6-byte token {@code <0x..>} whose middle parses as a base-16 {@code u8} (so lowercase hex
     * and a leading {@code +} count too); the trainer never learns such a token, so that only the 256 real byte
     * tokens decode as bytes.
     */
    static int parse(String token) {
        if (token.length() != 6 || !token.startsWith("<0x") || token.charAt(5) != '>') {
            return -1;
        }
        char first = token.charAt(3);
        int low = hexDigit(token.charAt(4));
        if (first == '+') {
            return low;
        }
        int high = hexDigit(first);
        return high < 0 || low < 0 ? -1 : high * 16 + low;
    }

    private static int hexDigit(char c) {
        return c < 128 ? Character.digit(c, 16) : -1;
    }
}
