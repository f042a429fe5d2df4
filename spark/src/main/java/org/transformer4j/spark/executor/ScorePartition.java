package org.transformer4j.spark.executor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.transformer4j.decoding.search.LengthPenalty;
import org.transformer4j.decoding.search.TeacherForcedScorer;
import org.transformer4j.model.vocab.Vocabularies;

import scala.Tuple2;

/**
 * One task of the score job: aligned source and target lines, keyed by line number, in; the model's score of each
 * target given its source out, in line order, each computed exactly as {@code t4j score} computes it (teacher
 * forcing, one sentence pair at a time). A pair that is not UTF-8, has an empty or too long side, or fails gets
 * an empty result with a warning, counted; it never fails the task.
 */
public final class ScorePartition implements FlatMapFunction<Iterator<Tuple2<Long, Tuple2<byte[], byte[]>>>, Row> {

    /** The columns of the Parquet and JSON outputs. */
    public static final StructType COLUMNS = new StructType()
            .add("line", DataTypes.LongType, false)
            .add("tokens", DataTypes.IntegerType, true)
            .add("logprob", DataTypes.DoubleType, true)
            .add("score", DataTypes.DoubleType, true)
            .add("per_token", DataTypes.DoubleType, true)
            .add("warning", DataTypes.StringType, true);

    /** A scored pair, or only a warning. */
    private record Scored(long line, int tokens, double logprob, double score, String warning) {
    }

    private final ModelSpec model;
    private final double lengthPenalty;
    private final boolean textRows;
    private final JobCounters counters;
    private final FaultInjection fault;

    public ScorePartition(ModelSpec model, double lengthPenalty, boolean textRows, JobCounters counters,
            FaultInjection fault) {
        this.model = model;
        this.lengthPenalty = lengthPenalty;
        this.textRows = textRows;
        this.counters = counters;
        this.fault = fault;
    }

    @Override
    public Iterator<Row> call(Iterator<Tuple2<Long, Tuple2<byte[], byte[]>>> input) {
        List<Tuple2<Long, Tuple2<byte[], byte[]>>> pairs = new ArrayList<>();
        input.forEachRemaining(pairs::add);
        pairs.sort((a, b) -> Long.compare(a._1(), b._1()));
        List<Scored> scored = pairs.isEmpty() ? List.of()
                : ModelHolder.use(model, m -> {
                    List<Scored> s = scoreAll(pairs, m);
                    TaskProbe.report(counters, m);
                    return s;
                });
        List<Row> out = new ArrayList<>(scored.size());
        for (Scored s : scored) {
            counters.lines.add(1);
            out.add(row(s));
        }
        return FailingIterator.wrap(out.iterator(), fault);
    }

    private List<Scored> scoreAll(List<Tuple2<Long, Tuple2<byte[], byte[]>>> pairs, LoadedModel m) {
        Vocabularies vocabularies = m.translator().vocabularies();
        TeacherForcedScorer scorer = new TeacherForcedScorer(m.translator().models().getFirst());
        LengthPenalty penalty = new LengthPenalty(lengthPenalty);
        List<Scored> out = new ArrayList<>(pairs.size());
        for (Tuple2<Long, Tuple2<byte[], byte[]>> p : pairs) {
            long line = p._1();
            String source = Utf8.decodeOrNull(p._2()._1());
            String target = Utf8.decodeOrNull(p._2()._2());
            if (source == null || target == null) {
                counters.invalidUtf8.add(1);
                out.add(warning(line, "line " + line + ": the " + (source == null ? "source" : "target")
                        + " is not valid UTF-8; not scored"));
                continue;
            }
            int[] src = vocabularies.source().encode(source);
            int[] tgt = vocabularies.target().encode(target);
            if (src.length == 0) {
                counters.failed.add(1);
                out.add(warning(line, "line " + line + ": the source is empty; not scored"));
            } else if (Math.max(src.length, tgt.length + 1) > model.maxSourceTokens()) {
                counters.tooLong.add(1);
                out.add(warning(line, "line " + line + " has " + src.length + " source and " + tgt.length
                        + " target tokens, more than the limit of " + model.maxSourceTokens() + "; not scored"));
            } else {
                try {
                    TeacherForcedScorer.Scored s = scorer.score(src, tgt, penalty);
                    out.add(new Scored(line, s.predicted().length, s.logProbability(), s.score(), null));
                } catch (RuntimeException | OutOfMemoryError e) {
                    counters.failed.add(1);
                    out.add(warning(line, "line " + line + " could not be scored (" + e.getMessage() + ")"));
                }
            }
        }
        return out;
    }

    private static Scored warning(long line, String message) {
        return new Scored(line, 0, Double.NaN, Double.NaN, message);
    }

    private Row row(Scored s) {
        boolean ok = s.warning() == null;
        if (textRows) {
            return RowFactory.create(ok ? s.line() + "\t" + s.tokens() + "\t" + s.logprob() + "\t" + s.score() + "\t"
                    + s.logprob() / s.tokens() : s.line() + "\t\t\t\t");
        }
        return ok ? RowFactory.create(s.line(), s.tokens(), s.logprob(), s.score(), s.logprob() / s.tokens(), null)
                : RowFactory.create(s.line(), null, null, null, null, s.warning());
    }
}
