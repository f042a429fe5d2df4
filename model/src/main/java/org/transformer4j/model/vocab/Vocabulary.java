package org.transformer4j.model.vocab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The tokens of a vocabulary being learned, numbered in the order they are added. */
final class Vocabulary {

    private final List<String> tokens = new ArrayList<>();
    private final Map<String, Integer> ids = new HashMap<>();

    /** Adds a token that is not there yet and returns its id. */
    int add(String token) {
        if (ids.putIfAbsent(token, tokens.size()) != null) {
            throw new IllegalStateException("the token \"" + token + "\" is in the vocabulary already");
        }
        tokens.add(token);
        return tokens.size() - 1;
    }

    boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** The id of a token, or -1. */
    int id(String token) {
        return ids.getOrDefault(token, -1);
    }

    String token(int id) {
        return tokens.get(id);
    }

    int size() {
        return tokens.size();
    }

    List<String> tokens() {
        return List.copyOf(tokens);
    }
}
