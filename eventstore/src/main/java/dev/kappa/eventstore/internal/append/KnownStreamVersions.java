package dev.kappa.eventstore.internal.append;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The versions of recently appended streams as of the head the group committer last committed, so that a batch on
 * streams it knows skips reading them (see {@link LogWriter#planAtKnownHead}). It holds only what this writer's own
 * commits established; whether they are still current is proven at write time by the head not having moved.
 *
 * <p>Bounded: the least recently used streams are forgotten beyond {@code capacity}. Not thread-safe: the writer
 * thread alone uses it.
 */
final class KnownStreamVersions {

    private final int capacity;
    private final LinkedHashMap<String, Long> versions;
    /** The head the versions are as of; negative when nothing is known. */
    private long head = -1;

    KnownStreamVersions(int capacity) {
        this.capacity = capacity;
        this.versions = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > KnownStreamVersions.this.capacity;
            }
        };
    }

    /** The head the versions are as of, or a negative number if nothing is known. */
    long head() {
        return head;
    }

    /** The versions of every stream of the batch, or {@code null} if any of them is not known. */
    Map<String, Long> versionsOf(List<PreparedAppend> appends) {
        if (head < 0) {
            return null;
        }
        Map<String, Long> found = new HashMap<>();
        for (PreparedAppend append : appends) {
            for (PreparedStream stream : append.streams()) {
                Long version = versions.get(stream.streamId());
                if (version == null) {
                    return null;
                }
                found.put(stream.streamId(), version);
            }
        }
        return found;
    }

    /**
     * A batch committed. If it started where the known versions end, they stay true and its own are added;
     * otherwise someone else appended in between, and only the batch's own versions are known now.
     */
    void committed(WrittenBatch batch) {
        if (batch.headBefore() != head) {
            versions.clear();
        }
        versions.putAll(batch.versions());
        head = batch.headAfter();
    }

    /** A batch failed or its outcome is unknown: nothing is known any more. */
    void forget() {
        versions.clear();
        head = -1;
    }
}
