/**
 * Internal: the Jackson implementation of {@link dev.kappa.eventstore.EventCodec}. Not an API; obtain a codec with
 * {@link dev.kappa.eventstore.EventCodec#builder()}. Anything here may change without notice.
 */
package dev.kappa.eventstore.internal.codec;
