/**
 * Kappa's second example: account activity read from the bank's log on Kafka, in an application of its own with its
 * own database. See docs/kafka.md.
 */
package dev.kappa.activity;
