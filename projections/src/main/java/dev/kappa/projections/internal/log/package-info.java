/**
 * Internal: the PostgreSQL log as a projection's {@link dev.kappa.projections.source.RecordSource}. It splits the log
 * into segments by a fixed hash of the stream id ({@link dev.kappa.eventstore.LogShare}), and has PostgreSQL read a
 * segment's share in pages: large ones while behind, with the next one read ahead on another thread while the worker
 * applies the current one, small ones once caught up; the log's notifications wake a segment that waits for appends.
 */
package dev.kappa.projections.internal.log;
