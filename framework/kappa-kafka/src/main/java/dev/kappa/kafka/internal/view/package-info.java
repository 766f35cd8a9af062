/** Internal: the Kafka consumer behind a {@link dev.kappa.kafka.view.CompactedView}. */
package dev.kappa.kafka.internal.view;
