/**
 * The Transformer of "Attention Is All You Need", built on {@link org.transformer4j.api.Backend} alone so
 * that it runs unchanged on every backend. It fills up with the model issue.
 */
package org.transformer4j.model;
