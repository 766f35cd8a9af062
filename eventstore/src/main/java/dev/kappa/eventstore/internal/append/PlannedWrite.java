package dev.kappa.eventstore.internal.append;

/**
 * A batch decided on the versions the writer knows, not yet sent: what it will have written if the head is still
 * where it was ({@link LogWriter#writePlanned}), and its rows.
 *
 * @param batch the outcomes, the head it expects and the one it leaves, the streams' versions after it
 * @param rows  the rows it writes
 */
record PlannedWrite(WrittenBatch batch, LogRows rows) {
}
