package dev.kappa.benchmarks;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;

/**
 * What a phase used besides time, reported after it as figures named {@code <phase>-<what>} in MiB:
 * <ul>
 *   <li>{@code heap-peak}: the most heap in use right after a garbage collection during the phase (the sum of the heap
 *       pools after each collection, from the collectors' notifications). After a young collection that includes the
 *       old generation's garbage not yet collected, so it is an upper bound of what the phase kept alive. A phase
 *       without any collection gets one {@code System.gc()} at its end and reports the heap after it (what it still
 *       holds), with a note giving the heap in use before it (the most the phase can have held);</li>
 *   <li>{@code heap-live}: the heap in use after a {@code System.gc()} at the phase's end, what it left reachable
 *       (the rebuild's runtime, say, which keeps running into the latency phase). With G1 and much allocation,
 *       heap-peak can climb towards the occupancy at which G1 starts marking the old generation, whatever the live
 *       data; this one does not. The collection runs after the phase's timing, so the next phase starts on a collected
 *       heap;</li>
 *   <li>{@code rss-peak}: this JVM's peak resident set size during the phase ({@code VmHWM}, reset at the phase's start
 *       through {@code /proc/self/clear_refs}; where that is refused, the highest {@code VmRSS} sampled every
 *       200 ms);</li>
 *   <li>{@code postgres-rss}: PostgreSQL's memory at the phase's end, the postmaster and all its processes: the sum of
 *       their proportional set sizes ({@code Pss}, so the shared buffers count once, not once per backend), or of
 *       their {@code VmRSS} where {@code smaps_rollup} cannot be read. Not a peak: backends that ended within the
 *       phase are gone, and tracking theirs would mean sampling them while the phase runs;</li>
 *   <li>{@code disk-…}: the database's size and its tables' ({@link #DISK_SIZES}), asked after the phase's work,
 *       so never inside its timing.</li>
 * </ul>
 * Linux only for the memory figures (they read {@code /proc}); elsewhere they are left out with a note.
 *
 * <p>Not thread-safe: the benchmark's main thread starts and finishes one phase at a time; the collectors'
 * notifications arrive on a thread of their own and only touch the current phase's atomic peak.
 */
final class PhaseResources implements AutoCloseable {

    /**
     * Sizes on disk, in bytes, each {@code NULL} (and then not reported) where the table does not exist here: the
     * database, the write-ahead log (the whole server's), the log's table (with its TOAST and maps) and its indexes,
     * the streams' versions and the idempotency keys (tables with their indexes), and the read models.
     */
    private static final String DISK_SIZES = """
            SELECT pg_database_size(current_database()) AS "disk-database",
                   (SELECT sum(size) FROM pg_ls_waldir()) AS "disk-wal",
                   pg_table_size(to_regclass('kappa_log')) AS "disk-log",
                   pg_indexes_size(to_regclass('kappa_log')) AS "disk-log-indexes",
                   pg_total_relation_size(to_regclass('kappa_streams')) AS "disk-streams",
                   pg_total_relation_size(to_regclass('kappa_idempotency')) AS "disk-idempotency",
                   pg_total_relation_size(to_regclass('account_balance')) AS "disk-read-model",
                   pg_total_relation_size(to_regclass('account_balance_kafka')) AS "disk-read-model-kafka"
            """;
    private static final Path SELF = Path.of("/proc/self");
    private static final double MIB = 1 << 20;
    private static final long RSS_SAMPLE_MILLIS = 200;

    private final BenchmarkReport report;
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
            .collect(Collectors.toUnmodifiableSet());
    private final NotificationListener listener = this::collected;
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private volatile Usage current;
    private boolean procMissingNoted;

    PhaseResources(BenchmarkReport report) {
        this.report = report;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
    }

    /**
     * Runs one phase's {@code work} and then reports what it used, under the figure names {@code <phase>-…}; the
     * sizes on disk are {@code database}'s. Returns what the work returned.
     */
    <T> T measure(String phase, BankDatabase database, Callable<T> work) throws Exception {
        Usage usage = start(phase);
        T result = work.call();
        usage.finish(database);
        return result;
    }

    /** Starts watching a phase: resets the peaks. Finish it before starting the next. */
    Usage start(String phase) {
        Usage usage = new Usage(phase);
        current = usage;
        return usage;
    }

    @Override
    public void close() {
        current = null;
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // added in the constructor: it cannot be missing, and there is nothing left to undo if it were
            }
        }
        emitters.clear();
    }

    /** One phase being watched. */
    final class Usage {

        private final String phase;
        /** Each collector's count of collections when the phase started: later collections have higher ids. */
        private final Map<String, Long> collectionsAtStart = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .collect(Collectors.toUnmodifiableMap(GarbageCollectorMXBean::getName,
                        GarbageCollectorMXBean::getCollectionCount));
        private final AtomicLong heapPeak = new AtomicLong(-1);
        private final AtomicLong rssPeakKib = new AtomicLong(-1);
        private final ScheduledExecutorService rssSampler;

        private Usage(String phase) {
            this.phase = phase;
            this.rssSampler = clearPeakRss() ? null : startSampling();
        }

        /** Stops watching and reports the phase's figures. Call it once the phase's timer has stopped. */
        void finish(BankDatabase database) {
            finishMemory();
            reportPostgres(database);
            reportDisk(database);
        }

        /** Stops watching and reports this JVM's heap and resident set, with no database to ask. */
        void finishMemory() {
            if (current == this) {
                current = null;
            }
            // before the System.gc() below, whose own bookkeeping could raise the resident set
            OptionalLong rssPeak = rssPeakKib();
            long heapPeakBytes = heapPeakBytes();
            long collectionsBefore = collections();
            long inUse = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.gc();
            long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (heapPeakBytes >= 0) {
                report.figure(phase + "-heap-peak", heapPeakBytes / MIB, "MiB");
            } else {
                report.figure(phase + "-heap-peak", live / MIB, "MiB");
                report.note("%s: no garbage collection during the phase: heap-peak is the heap after a System.gc() at"
                        + " its end; %.1f MiB were in use before it, the most the phase can have held", phase,
                        inUse / MIB);
            }
            report.figure(phase + "-heap-live", live / MIB, "MiB");
            if (collections() == collectionsBefore) {
                report.note("%s: System.gc() collected nothing (-XX:+DisableExplicitGC?): heap-live is the heap in"
                        + " use at the phase's end", phase);
            }
            rssPeak.ifPresent(kib -> report.figure(phase + "-rss-peak", kib / 1024.0, "MiB"));
        }

        /** The most heap in use after a collection in the phase, or -1 if there was none. */
        private long heapPeakBytes() {
            // a collection's notification may still be on its way: its collector's last collection stands in for it
            for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (collector instanceof com.sun.management.GarbageCollectorMXBean withInfo) {
                    GcInfo last = withInfo.getLastGcInfo();
                    if (last != null) {
                        afterCollection(collector.getName(), last);
                    }
                }
            }
            return heapPeak.get();
        }

        private OptionalLong rssPeakKib() {
            if (!Files.isReadable(SELF.resolve("status"))) {
                if (!procMissingNoted) {
                    report.note("no /proc here: the rss-peak and postgres-rss figures are left out");
                    procMissingNoted = true;
                }
                return OptionalLong.empty();
            }
            if (rssSampler == null) {
                return statusKib(SELF, "VmHWM");
            }
            rssSampler.shutdownNow();
            sampleRss();
            report.note("%s: rss-peak is the highest VmRSS sampled every %d ms (/proc/self/clear_refs refused)", phase,
                    RSS_SAMPLE_MILLIS);
            return rssPeakKib.get() < 0 ? OptionalLong.empty() : OptionalLong.of(rssPeakKib.get());
        }

        private void reportPostgres(BankDatabase database) {
            if (!Files.isReadable(SELF.resolve("status"))) {
                return;
            }
            database.postmaster().ifPresent(postmaster -> {
                long kib = Stream.concat(Stream.of(postmaster), postmaster.descendants())
                        .mapToLong(process -> processKib(Path.of("/proc", Long.toString(process.pid())))).sum();
                report.figure(phase + "-postgres-rss", kib / 1024.0, "MiB");
            });
        }

        private void reportDisk(BankDatabase database) {
            Map<String, Long> sizes = database.jdbc().query(DISK_SIZES, rs -> {
                Map<String, Long> columns = new LinkedHashMap<>();
                rs.next();
                for (int column = 1; column <= rs.getMetaData().getColumnCount(); column++) {
                    long bytes = rs.getLong(column);
                    if (!rs.wasNull()) {
                        columns.put(rs.getMetaData().getColumnLabel(column), bytes);
                    }
                }
                return columns;
            });
            if (sizes != null) {
                sizes.forEach((name, bytes) -> report.figure(phase + "-" + name, bytes / MIB, "MiB"));
            }
        }

        private ScheduledExecutorService startSampling() {
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "bench-rss-sampler");
                thread.setDaemon(true);
                return thread;
            });
            sampler.scheduleAtFixedRate(this::sampleRss, 0, RSS_SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
            return sampler;
        }

        private void sampleRss() {
            statusKib(SELF, "VmRSS").ifPresent(kib -> rssPeakKib.accumulateAndGet(kib, Math::max));
        }

        private void afterCollection(String collector, GcInfo info) {
            if (info.getId() > collectionsAtStart.getOrDefault(collector, 0L)) {
                heapPeak.accumulateAndGet(heapUsed(info.getMemoryUsageAfterGc()), Math::max);
            }
        }
    }

    private void collected(Notification notification, Object handback) {
        Usage usage = current;
        if (usage != null && GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                .equals(notification.getType())) {
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification
                    .getUserData());
            usage.afterCollection(info.getGcName(), info.getGcInfo());
        }
    }

    private static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).filter(count -> count > 0).sum();
    }

    private long heapUsed(Map<String, MemoryUsage> pools) {
        return pools.entrySet().stream().filter(pool -> heapPools.contains(pool.getKey()))
                .mapToLong(pool -> pool.getValue().getUsed()).sum();
    }

    /** Resets this process's peak RSS ({@code VmHWM}) to its current RSS; false where Linux refuses or is absent. */
    private static boolean clearPeakRss() {
        try {
            Files.writeString(SELF.resolve("clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** A process's proportional set size, or its RSS where that cannot be read; 0 for a process gone meanwhile. */
    private static long processKib(Path process) {
        try (Stream<String> lines = Files.lines(process.resolve("smaps_rollup"))) {
            OptionalLong pss = lines.filter(line -> line.startsWith("Pss:")).mapToLong(PhaseResources::kib)
                    .findFirst();
            if (pss.isPresent()) {
                return pss.getAsLong();
            }
        } catch (IOException | RuntimeException e) {
            // smaps_rollup needs Linux 4.14 and the right to read the process's memory map: fall back to its status
        }
        return statusKib(process, "VmRSS").orElse(0);
    }

    /** A {@code kB} field of {@code /proc/<pid>/status}. */
    private static OptionalLong statusKib(Path process, String field) {
        try (Stream<String> lines = Files.lines(process.resolve("status"))) {
            return lines.filter(line -> line.startsWith(field + ":")).mapToLong(PhaseResources::kib).findFirst();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** The number in a line such as {@code "VmHWM:   13580 kB"}. */
    private static long kib(String line) {
        String[] words = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        return Long.parseLong(words[0]);
    }
}
