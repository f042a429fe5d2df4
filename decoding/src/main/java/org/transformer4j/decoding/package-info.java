/**
 * Turning a trained model into translations: greedy and beam search, incremental decoding with a key/value
 * cache, and corpus BLEU/chrF. Depends on the model and the api only. It fills up with the decoding issue.
 */
package org.transformer4j.decoding;
