package org.transformer4j.spark.executor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;

/**
 * The models loaded in this JVM, one per {@link ModelSpec}, loaded by the first task that needs one and kept
 * until the JVM ends (or {@link #closeAll()}). A broadcast cannot carry a model: its weights live in the
 * backend's native memory, so every executor loads its own copy from the model directory, once.
 */
public final class ModelHolder {

    private static final Map<ModelSpec, LoadedModel> LOADED = new HashMap<>();
    private static boolean hookInstalled;
    private static int loads;

    private ModelHolder() {
    }

    /**
     * Runs {@code work} with the model of {@code spec} (loading it first if this JVM has not yet), holding the
     * model for itself while it runs: the tasks of one executor take turns on one model.
     */
    public static <T> T use(ModelSpec spec, Function<LoadedModel, T> work) {
        ModelSpec resolved = spec.withThreads(threadsFor(spec));
        LoadedModel model;
        synchronized (ModelHolder.class) {
            model = LOADED.get(resolved);
            if (model == null) {
                model = LoadedModel.load(resolved, directory(resolved));
                LOADED.put(resolved, model);
                loads++;
                installShutdownHook();
            }
        }
        synchronized (model) {
            return work.apply(model);
        }
    }

    /** Compute threads: as asked, else the CPUs of the running task ({@code spark.task.cpus}), else one. */
    static int threadsFor(ModelSpec spec) {
        if (spec.threads() > 0) {
            return spec.threads();
        }
        TaskContext task = TaskContext.get();
        return task == null ? 1 : Math.max(1, task.cpus());
    }

    private static Path directory(ModelSpec spec) {
        return spec.shipped() ? Path.of(SparkFiles.get(spec.modelDir())) : Path.of(spec.modelDir());
    }

    /** How many models this JVM holds. */
    public static synchronized int loaded() {
        return LOADED.size();
    }

    /** How many times this JVM loaded a model since it started or {@link #closeAll()} last emptied the holder. */
    public static synchronized int loads() {
        return loads;
    }

    /**
     * Closes every model and its backend, giving back their native memory: for a driver that ran the job in
     * local mode and goes on living. Executors need not call it; their models go with the JVM.
     */
    public static synchronized void closeAll() {
        List<LoadedModel> models = new ArrayList<>(LOADED.values());
        LOADED.clear();
        loads = 0;
        RuntimeException failure = null;
        for (LoadedModel m : models) {
            try {
                synchronized (m) { // after the task that is using it, if any
                    m.close();
                }
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void installShutdownHook() {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(ModelHolder::closeQuietly, "t4j-model-holder"));
            hookInstalled = true;
        }
    }

    private static void closeQuietly() {
        try {
            closeAll();
        } catch (RuntimeException e) {
            // the JVM is ending: the operating system takes the memory back anyway
        }
    }
}
