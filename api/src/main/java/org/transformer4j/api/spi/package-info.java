/**
 * The kit for backend implementers: a tensor base class with reference-counted storage, memory accounting,
 * the shape rules every op must apply, and the dropout mask every backend must reproduce. Users of the
 * library never need this package.
 */
package org.transformer4j.api.spi;
