package dev.kappa.eventstore.internal.append;

import java.util.List;

import dev.kappa.eventstore.ExpectedVersion;

/** The prepared events of one stream in one append call, with the condition they are appended under. */
record PreparedStream(String streamId, ExpectedVersion expectedVersion, List<PreparedEvent> events) {
}
