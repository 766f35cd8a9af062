package dev.kappa.framework.internal.gateway;

import tools.jackson.databind.node.ObjectNode;

/**
 * What a snapshot of an aggregate holds: its fields as JSON, and what they must match to be read back.
 *
 * @param aggregateType the aggregate's class name
 * @param revision      the aggregate's snapshot revision when the snapshot was taken
 * @param fingerprint   a digest of the class's field names and types when the snapshot was taken
 * @param fields        the aggregate's fields
 */
record SnapshotState(String aggregateType, int revision, String fingerprint, ObjectNode fields) {
}
