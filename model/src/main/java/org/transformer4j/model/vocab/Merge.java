package org.transformer4j.model.vocab;

/** One learned merge: the adjacent tokens {@code left} and {@code right} (ids) become the token they spell together. */
record Merge(int left, int right) {

    /** Both ids in one long, the key of the pair maps; ordering keys orders pairs by left id, then right id. */
    long key() {
        return key(left, right);
    }

    static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }
}
