package dev.kappa.kafka.faults;

import dev.kappa.eventstore.EventType;

/** The event the fault tests' writers append: small, with text that is not all ASCII. */
@EventType("FaultNoted")
record Noted(String writer, long sequence, String text) {
}
