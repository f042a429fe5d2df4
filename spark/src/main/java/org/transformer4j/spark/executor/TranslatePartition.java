package org.transformer4j.spark.executor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.transformer4j.decoding.Hypothesis;
import org.transformer4j.decoding.Translation;
import org.transformer4j.decoding.search.DecodingOptions;

import scala.Tuple2;

/**
 * One task of the translate job: the lines of a partition, keyed by line number, in; their translations out, in
 * line order. The partition is decoded as {@code t4j translate} decodes a file (sorted by length, in batches), by
 * the model this executor holds. A line that is not UTF-8, too long, or failing gets one empty result with a
 * warning, counted; it never fails the task.
 */
public final class TranslatePartition implements FlatMapFunction<Iterator<Tuple2<Long, byte[]>>, Row> {

    /** The columns of the Parquet and JSON outputs: one row per hypothesis. */
    public static final StructType COLUMNS = new StructType()
            .add("line", DataTypes.LongType, false)
            .add("rank", DataTypes.IntegerType, false)
            .add("score", DataTypes.DoubleType, true)
            .add("translation", DataTypes.StringType, false)
            .add("warning", DataTypes.StringType, true);

    private final ModelSpec model;
    private final DecodingOptions options;
    private final boolean textRows;
    private final JobCounters counters;
    private final FaultInjection fault;

    /** @param textRows one tab-separated string per row (the text output) instead of {@link #COLUMNS} */
    public TranslatePartition(ModelSpec model, DecodingOptions options, boolean textRows, JobCounters counters,
            FaultInjection fault) {
        this.model = model;
        this.options = options;
        this.textRows = textRows;
        this.counters = counters;
        this.fault = fault;
    }

    @Override
    public Iterator<Row> call(Iterator<Tuple2<Long, byte[]>> input) {
        List<Tuple2<Long, byte[]>> lines = new ArrayList<>();
        input.forEachRemaining(lines::add);
        lines.sort((a, b) -> Long.compare(a._1(), b._1()));
        String[] texts = new String[lines.size()];
        List<String> sources = new ArrayList<>();
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            texts[i] = Utf8.decodeOrNull(lines.get(i)._2());
            if (texts[i] != null) {
                sources.add(texts[i]);
                keys.add(lines.get(i)._1() - 1); // the 0-based index t4j translate seeds samples with
            }
        }
        List<Translation> translations = sources.isEmpty() ? List.of()
                : ModelHolder.use(model, m -> {
                    List<Translation> t = m.translator().translate(sources, null,
                            keys.stream().mapToLong(Long::longValue).toArray(), options);
                    TaskProbe.report(counters, m);
                    return t;
                });
        List<Row> out = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < texts.length; i++) {
            long line = lines.get(i)._1();
            counters.lines.add(1);
            if (texts[i] == null) {
                counters.invalidUtf8.add(1);
                rows(line, List.of(), "line " + line + " is not valid UTF-8; left untranslated", out);
                continue;
            }
            Translation t = translations.get(next++);
            if (t.warning() != null) {
                // IdTranslator's two warnings: a line over --max-source-len, or one that failed even alone.
                (t.warning().contains("more than the limit") ? counters.tooLong : counters.failed).add(1);
            }
            rows(line, t.hypotheses(), t.warning(), out);
        }
        return FailingIterator.wrap(out.iterator(), fault);
    }

    private void rows(long line, List<Hypothesis> hypotheses, String warning, List<Row> out) {
        if (hypotheses.isEmpty()) {
            out.add(textRows ? RowFactory.create(line + (options.nbest() > 1 ? "\t1\t\t" : "\t"))
                    : RowFactory.create(line, 1, null, "", warning));
            return;
        }
        int rank = 1;
        for (Hypothesis h : hypotheses) {
            if (!textRows) {
                out.add(RowFactory.create(line, rank, h.score(), h.text(), warning));
            } else if (options.nbest() == 1) {
                out.add(RowFactory.create(line + "\t" + h.textOnOneLine()));
            } else { // t4j translate's n-best TSV, keyed by line number
                out.add(RowFactory.create(line + "\t" + rank + "\t" + String.format(Locale.ROOT, "%.4f", h.score())
                        + "\t" + h.textOnOneLine()));
            }
            rank++;
        }
    }
}
