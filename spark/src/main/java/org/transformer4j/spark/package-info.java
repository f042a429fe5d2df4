/**
 * Corpus-scale translation and scoring on Apache Spark: {@link org.transformer4j.spark.TranslateJob} and
 * {@link org.transformer4j.spark.ScoreJob}. Each executor JVM loads the model once ({@code executor.ModelHolder}),
 * each task decodes its partition in sorted batches with the same {@code Translator} as {@code t4j translate}, and
 * the results, one per input line keyed by its line number, are written with Spark's DataFrame writer, whose output
 * commit protocol keeps failed and speculative attempts out of the output.
 */
package org.transformer4j.spark;
