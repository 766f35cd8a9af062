package dev.kappa.eventstore.internal.append;

import java.util.List;
import java.util.Map;

/**
 * What {@link LogWriter} wrote for a batch, in a transaction not yet committed.
 *
 * @param outcomes   each append's outcome, in the batch's order
 * @param headBefore the head the batch found under the lock
 * @param headAfter  the head it leaves ({@code headBefore} if it wrote nothing)
 * @param versions   the version of each of the batch's streams once it commits (streams that do not exist are
 *                   absent)
 */
record WrittenBatch(List<AppendOutcome> outcomes, long headBefore, long headAfter, Map<String, Long> versions) {
}
