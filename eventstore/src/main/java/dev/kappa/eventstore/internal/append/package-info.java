/**
 * Internal: appending to the log. Each call is checked and encoded on the caller's thread, then a group committer
 * writes whatever calls are waiting in one transaction, taking offsets and stream versions under the log's head lock.
 * Users need none of it; they append through {@link dev.kappa.eventstore.EventAppender}.
 */
package dev.kappa.eventstore.internal.append;
