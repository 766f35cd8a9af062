package dev.kappa.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where a phase's CPU went, independent of how loaded the shared machine was: CPU time of this JVM and of its busiest
 * threads, of the Kafka broker's JVM and of PostgreSQL (the postmaster and its processes), between two samples. A
 * thread whose CPU time is close to the wall clock is what bounds a serial pipeline; CPU time far below the wall clock
 * means the phase waited (on another process, or for a core on a loaded machine).
 *
 * <p>Not thread-safe; the benchmark's main thread samples.
 */
final class CpuUsage {

    /** A live thread's name and CPU time. */
    record ThreadCpu(String name, long cpu) {
    }

    /** CPU times at one moment, in nanoseconds; threads by id (a reset replaces workers by new threads of one name). */
    record Sample(long wall, long jvm, long gcPauses, long broker, Map<Long, Long> postgres,
                  Map<Long, ThreadCpu> threads) {
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long brokerPid;
    private final long postmasterPid;

    /** Watches the broker with process id {@code brokerPid} and the PostgreSQL server whose postmaster is given. */
    CpuUsage(long brokerPid, Optional<ProcessHandle> postmaster) {
        this.brokerPid = brokerPid;
        this.postmasterPid = postmaster.map(ProcessHandle::pid).orElse(-1L);
    }

    Sample sample() {
        Map<Long, ThreadCpu> threads = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = THREADS.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                threads.put(info.getThreadId(), new ThreadCpu(info.getThreadName(), cpu));
            }
        }
        long gc = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(millis -> millis > 0).sum();
        return new Sample(System.nanoTime(), processCpu(ProcessHandle.current()), gc * 1_000_000,
                processCpu(brokerPid), postgresCpu(), threads);
    }

    /**
     * One line: wall clock, each process's CPU and the {@code shown} busiest threads of this JVM (threads of one name
     * summed), in seconds. Threads and processes that ended between the samples are not counted.
     */
    static String describe(Sample from, Sample to, int shown) {
        Map<String, Long> threads = new TreeMap<>();
        to.threads().forEach((id, now) -> {
            ThreadCpu before = from.threads().get(id);
            threads.merge(now.name(), now.cpu() - (before == null ? 0 : before.cpu()), Long::sum);
        });
        List<Map.Entry<String, Long>> busiest = new ArrayList<>(threads.entrySet());
        busiest.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "wall %.1f s; CPU: benchmark JVM %.1f s (its garbage collections took %.1f s of the wall clock), Kafka broker"
                        + " %.1f s, PostgreSQL %.1f s; busiest threads:",
                seconds(to.wall() - from.wall()), seconds(to.jvm() - from.jvm()),
                seconds(to.gcPauses() - from.gcPauses()),
                seconds(to.broker() - from.broker()), seconds(delta(from.postgres(), to.postgres()))));
        busiest.stream().limit(shown).forEach(e -> line.append(String.format(Locale.ROOT, " %s %.1f s,",
                e.getKey(), seconds(e.getValue()))));
        line.setLength(line.length() - 1);
        return line.toString();
    }

    /** CPU time by process id of the postmaster and its processes (backends come and go: compare by id). */
    private Map<Long, Long> postgresCpu() {
        Map<Long, Long> cpu = new HashMap<>();
        ProcessHandle.of(postmasterPid).ifPresent(postmaster -> {
            cpu.put(postmaster.pid(), processCpu(postmaster));
            postmaster.descendants().forEach(process -> cpu.put(process.pid(), processCpu(process)));
        });
        return cpu;
    }

    /** The CPU the processes alive at {@code to} used since {@code from}; those that ended meanwhile are lost. */
    private static long delta(Map<Long, Long> from, Map<Long, Long> to) {
        return to.entrySet().stream().mapToLong(e -> e.getValue() - from.getOrDefault(e.getKey(), 0L)).sum();
    }

    private static long processCpu(long pid) {
        return ProcessHandle.of(pid).map(CpuUsage::processCpu).orElse(0L);
    }

    private static long processCpu(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
