package org.transformer4j.cli.pages;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.transformer4j.training.TrainingCurves;
import org.transformer4j.training.TrainingCurves.TrainPoint;
import org.transformer4j.training.TrainingCurves.ValidPoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The page of {@code t4j report}: the curves of one or more training runs, overlaid. */
public final class ReportPage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportPage() {
    }

    public static String render(List<TrainingCurves> runs) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", "t4j report: " + String.join(", ", runs.stream().map(r -> r.modelDirectory().toString()).toList()));
        model.put("runs", runs.stream().map(r -> Map.of("dir", r.modelDirectory().toString(),
                "steps", Long.toString(r.train().getLast().step()),
                "validations", Integer.toString(r.valid().size()),
                "checkpoints", Integer.toString(r.checkpoints().size()),
                "best", r.bestStep() < 0 ? "none" : Long.toString(r.bestStep()))).toList());
        return Pages.render("report", model, json(runs));
    }

    /** The runs as the page's script reads them: per run, columns of numbers (null for a missing value). */
    static ObjectNode json(List<TrainingCurves> runs) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode out = root.putArray("runs");
        for (TrainingCurves r : runs) {
            ObjectNode run = out.addObject();
            run.put("name", r.modelDirectory().toString());
            ObjectNode train = run.putObject("train");
            column(train, "step", r.train().stream().mapToDouble(TrainPoint::step).toArray());
            column(train, "elapsed_s", r.train().stream().mapToDouble(TrainPoint::elapsedSeconds).toArray());
            column(train, "loss", r.train().stream().mapToDouble(TrainPoint::loss).toArray());
            column(train, "ppl", r.train().stream().mapToDouble(TrainPoint::perplexity).toArray());
            column(train, "accuracy", r.train().stream().mapToDouble(TrainPoint::accuracy).toArray());
            column(train, "lr", r.train().stream().mapToDouble(TrainPoint::learningRate).toArray());
            column(train, "grad_norm", r.train().stream().mapToDouble(TrainPoint::gradientNorm).toArray());
            column(train, "tokens_per_s", r.train().stream().mapToDouble(TrainPoint::tokensPerSecond).toArray());
            ObjectNode valid = run.putObject("valid");
            column(valid, "step", r.valid().stream().mapToDouble(ValidPoint::step).toArray());
            column(valid, "elapsed_s", r.valid().stream().mapToDouble(ValidPoint::elapsedSeconds).toArray());
            column(valid, "loss", r.valid().stream().mapToDouble(ValidPoint::loss).toArray());
            column(valid, "ppl", r.valid().stream().mapToDouble(ValidPoint::perplexity).toArray());
            column(valid, "accuracy", r.valid().stream().mapToDouble(ValidPoint::accuracy).toArray());
            column(valid, "bleu", r.valid().stream().mapToDouble(ValidPoint::bleu).toArray());
            ArrayNode checkpoints = run.putArray("checkpoints");
            r.checkpoints().forEach(checkpoints::add);
            run.put("best_step", r.bestStep());
            // the wall-clock time of each checkpoint and of the best step, for the time axis
            ArrayNode checkpointTimes = run.putArray("checkpoint_elapsed_s");
            r.checkpoints().forEach(s -> addNumber(checkpointTimes, elapsedAt(r, s)));
            addNumber(run.putArray("best_elapsed_s"), elapsedAt(r, r.bestStep()));
        }
        return root;
    }

    private static double elapsedAt(TrainingCurves r, long step) {
        for (TrainPoint p : r.train()) {
            if (p.step() == step) {
                return p.elapsedSeconds();
            }
        }
        return Double.NaN;
    }

    private static void column(ObjectNode parent, String name, double[] values) {
        ArrayNode a = parent.putArray(name);
        for (double v : values) {
            addNumber(a, v);
        }
    }

    private static void addNumber(ArrayNode a, double v) {
        if (!Double.isFinite(v)) {
            a.addNull();
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            a.add((long) v);
        } else {
            a.add((float) v); // 7 digits: more than a plot shows, half the bytes
        }
    }
}
