/**
 * Internal: the relay's topics as it needs them (names, cleanup policies, partitions), created when absent, checked
 * when present, and watched for deletion while the relay runs.
 */
package dev.kappa.kafka.internal.topic;
