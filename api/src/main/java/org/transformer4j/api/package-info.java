/**
 * The user-facing API of transformer4j: {@link org.transformer4j.api.Tensor}, {@link org.transformer4j.api.Shape},
 * {@link org.transformer4j.api.DType}, the {@link org.transformer4j.api.Backend} op set, memory scopes, and the
 * backend service ({@link org.transformer4j.api.BackendProvider}, found with {@link java.util.ServiceLoader}
 * through {@link org.transformer4j.api.Backends}). Depends on the JDK only.
 */
package org.transformer4j.api;
