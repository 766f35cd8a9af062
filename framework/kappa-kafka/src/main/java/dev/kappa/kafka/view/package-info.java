/**
 * In-memory views of a compacted topic, held whole in every instance: loaded from offset zero at start, then followed
 * live. No consumer group: each instance reads every partition.
 */
package dev.kappa.kafka.view;
