package dev.kappa.benchmarks;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import dev.kappa.eventstore.AppendResult;
import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.eventstore.LogShare;
import dev.kappa.eventstore.SharePage;

/**
 * The store's reader, counting the log records its page reads hand out: what one instance's projection workers
 * fetched from PostgreSQL, to set beside the size of the log.
 *
 * <p>Thread-safe: the workers and their prefetch threads read through it at once.
 */
final class CountingReader implements EventReader {

    private final EventReader reader;
    private final LongAdder records = new LongAdder();

    CountingReader(EventReader reader) {
        this.reader = reader;
    }

    /** The records read since the last call. */
    long takeCount() {
        return records.sumThenReset();
    }

    @Override
    public List<LogRecord> readLog(long afterOffset, int limit) {
        List<LogRecord> page = reader.readLog(afterOffset, limit);
        records.add(page.size());
        return page;
    }

    @Override
    public SharePage readShare(LogShare share, long afterOffset, int limit) {
        SharePage page = reader.readShare(share, afterOffset, limit);
        records.add(page.records().size());
        return page;
    }

    @Override
    public List<LogRecord> readStream(String streamId, long fromVersion) {
        return reader.readStream(streamId, fromVersion);
    }

    @Override
    public List<LogRecord> readStream(String streamId, long fromVersion, int maxCount) {
        return reader.readStream(streamId, fromVersion, maxCount);
    }

    @Override
    public long streamVersion(String streamId) {
        return reader.streamVersion(streamId);
    }

    @Override
    public Stream<LogRecord> streamLog(long afterOffset) {
        return reader.streamLog(afterOffset);
    }

    @Override
    public long head() {
        return reader.head();
    }

    @Override
    public Optional<List<AppendResult>> findAppend(String idempotencyKey, String requestFingerprint) {
        return reader.findAppend(idempotencyKey, requestFingerprint);
    }
}
