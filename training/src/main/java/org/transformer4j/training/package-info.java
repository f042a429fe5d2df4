/**
 * Training a translation model: vocabulary, batching, label-smoothed loss, Adam with warm-up, checkpoints.
 * Validation BLEU uses the decoding module directly (training depends on decoding, never the reverse; the
 * architecture test records this). It fills up with the training issue.
 */
package org.transformer4j.training;
