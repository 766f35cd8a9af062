package dev.kappa.kafka.source;

import dev.kappa.eventstore.EventType;

/** A deposit into the account its stream is: the event the Kafka-fed projections of these tests count. */
@EventType("Deposited")
record Deposited(long amount) {
}
