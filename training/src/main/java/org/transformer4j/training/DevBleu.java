package org.transformer4j.training;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

import org.transformer4j.decoding.eval.Bleu;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.decoding.search.ScoredSequence;
import org.transformer4j.decoding.search.SequenceDecoder;
import org.transformer4j.model.Transformer;

/**
 * Dev-set BLEU during training: the model translates the dev sources with greedy decoding (incremental, in
 * batches of similar lengths), the outputs are detokenised and scored against the dev references with
 * sacreBLEU's corpus BLEU. This is how training reaches the decoder: directly, training depending on decoding
 * (never the reverse; the architecture rules hold it).
 *
 * @param sources    dev source ids
 * @param references dev reference text, line by line with {@code sources}
 * @param detokenize turns output ids into text (the target tokenizer's {@code decode})
 * @param every      compute BLEU at validations whose step is a multiple of this (and at the last one)
 */
public record DevBleu(List<int[]> sources, List<String> references, Function<int[], String> detokenize, int every) {

    static final int BATCH = 64;

    public DevBleu {
        if (sources.size() != references.size() || sources.isEmpty()) {
            throw new IllegalArgumentException("dev BLEU needs as many references as sources, and at least one");
        }
        if (every < 1) {
            throw new IllegalArgumentException("the BLEU interval must be at least one step, not " + every);
        }
        sources = List.copyOf(sources);
        references = List.copyOf(references);
    }

    /** Greedy translations of every dev source, scored: corpus BLEU, 0-100. */
    public double evaluate(Transformer model) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> sources.get(i).length));
        String[] hypotheses = new String[sources.size()];
        SequenceDecoder decoder = new SequenceDecoder(model);
        for (int from = 0; from < order.size(); from += BATCH) {
            List<Integer> batch = order.subList(from, Math.min(order.size(), from + BATCH));
            List<List<ScoredSequence>> out = decoder.decode(batch.stream().map(sources::get).toList(),
                    DecodingOptions.greedy());
            for (int j = 0; j < batch.size(); j++) {
                hypotheses[batch.get(j)] = detokenize.apply(out.get(j).getFirst().tokens());
            }
        }
        return Bleu.corpus(List.of(hypotheses), List.of(references)).score();
    }
}
