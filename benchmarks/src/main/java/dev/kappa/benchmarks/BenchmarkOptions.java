package dev.kappa.benchmarks;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The sizes and settings of one run. The defaults are the workload's ({@code shared/bench/bank-workload.md}); the
 * environment variables {@code ACCOUNTS}, {@code EVENTS}, {@code WRITE_EVENTS} and {@code LATENCY_COMMANDS} change
 * them, {@code QUICK=true} (or the argument {@code --quick}) scales everything down to a run of seconds,
 * {@code DURABLE=false} takes figures on a PostgreSQL without {@code fsync} (to be shown beside durable ones, labelled,
 * never instead of them), {@code PROFILE=true} loads {@code pg_stat_statements} and reports each phase's costliest
 * statements (a setting beyond the workload's: label such figures too), {@code CEILING_VARIANTS=false} leaves out
 * the two variants of the COPY ceiling (an interned stream id, the primary key alone), and {@code PHASES} picks
 * phases (with what they need: rebuild, segments and relay need bulk-append, latency needs rebuild, kafka-rebuild
 * needs relay, kafka-latency needs kafka-rebuild; compaction needs none).
 * {@code KAFKA_LATENCY_COMMANDS} and {@code KAFKA_PARTITIONS} size the Kafka phases.
 *
 * @param accounts        A, the number of accounts
 * @param events          E, all the events, {@code E/A} per account
 * @param writeEvents     W, the events the write phase sends as commands (the first W of the sequence); the compaction
 *                        phase sends W/8, alone and again beside a compaction
 * @param latencyCommands the deposits of the latency phase
 * @param latencyRate     the most latency commands per second
 * @param kafkaLatencyCommands the deposits of the kafka-latency phase
 * @param kafkaLatencyRate     the most kafka-latency commands per second
 * @param kafkaPartitions      the partitions of the topics the relay creates
 * @param writeThreads    the write phase's client threads
 * @param appendBatch     events per append call in bulk-append (and rows per COPY transaction in the ceiling)
 * @param durable         whether PostgreSQL runs with {@code fsync} and {@code synchronous_commit} on
 * @param profile         whether PostgreSQL loads {@code pg_stat_statements}, to report where each phase's time went
 * @param ceilingVariants whether the COPY ceiling is also measured into a log with interned (bigint) stream ids and
 *                        into one with its primary key alone
 * @param postgresSettings server settings beyond the durable defaults, from {@code POSTGRES_SETTINGS}
 *                        ({@code name=value,name=value}, e.g. {@code shared_buffers=1GB}): label such figures
 * @param phases          the phases to run
 */
record BenchmarkOptions(int accounts, int events, int writeEvents, int latencyCommands, int latencyRate,
                        int kafkaLatencyCommands, int kafkaLatencyRate, int kafkaPartitions, int writeThreads, int appendBatch, boolean durable, boolean profile,
                        boolean ceilingVariants, Map<String, String> postgresSettings, Set<Phase> phases) {

    /** The phases of the workload, in the order they run. */
    enum Phase {
        WRITE("write"), BULK_APPEND("bulk-append"), REBUILD("rebuild"), LATENCY("latency"),
        /** Beyond the workload: rebuilds with 1, 2 and 4 segments, and 4 segments on two instances. */
        SEGMENTS("segments"),
        /** The log relayed to Kafka (a broker in its own JVM), beside a plain idempotent producer's ceiling. */
        RELAY("relay"),
        /** The balance projection fed from the relayed topic, reset and rebuilt. */
        KAFKA_REBUILD("kafka-rebuild"),
        /** Append to the Kafka-fed balance row being visible, through the relay and the topic. */
        KAFKA_LATENCY("kafka-latency"),
        /** Compaction of a log of E records, 5% of them superseded, alone and beside the write phase's load. */
        COMPACTION("compaction");

        private final String label;

        Phase(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }

        static Phase of(String label) {
            return Arrays.stream(values()).filter(p -> p.label.equals(label.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown phase '" + label + "'; the phases are"
                            + " write, bulk-append, rebuild, latency, segments, relay, kafka-rebuild,"
                            + " kafka-latency and compaction"));
        }
    }

    BenchmarkOptions {
        requirePositive(accounts, "ACCOUNTS");
        requirePositive(events, "EVENTS");
        requirePositive(writeEvents, "WRITE_EVENTS");
        requirePositive(latencyCommands, "LATENCY_COMMANDS");
        requirePositive(latencyRate, "latency rate");
        requirePositive(kafkaLatencyCommands, "KAFKA_LATENCY_COMMANDS");
        requirePositive(kafkaLatencyRate, "kafka latency rate");
        requirePositive(kafkaPartitions, "KAFKA_PARTITIONS");
        requirePositive(writeThreads, "write threads");
        requirePositive(appendBatch, "append batch");
        if (events % accounts != 0) {
            throw new IllegalArgumentException("EVENTS (" + events + ") must be a multiple of ACCOUNTS (" + accounts
                    + "): every account gets EVENTS/ACCOUNTS events");
        }
        if (phases.contains(Phase.WRITE) && writeEvents > events) {
            throw new IllegalArgumentException("WRITE_EVENTS (" + writeEvents + ") must not exceed EVENTS ("
                    + events + ")");
        }
        phases = withPrerequisites(phases);
    }

    /**
     * The workload's sizes: A = 10,000, E = 1,000,000, W = 200,000, 10,000 latency commands at up to 1,000/s; for the
     * Kafka phases 3,000 commands at up to 200/s and topics of 6 partitions.
     */
    static BenchmarkOptions workload() {
        return new BenchmarkOptions(10_000, 1_000_000, 200_000, 10_000, 1_000, 3_000, 200, 6, 8, 1_000, true, false,
                true, Map.of(), EnumSet.allOf(Phase.class));
    }

    /** Tiny sizes for a run of seconds (the smoke test's): what it checks is the sums, never the timings. */
    static BenchmarkOptions quick() {
        return new BenchmarkOptions(100, 2_000, 1_000, 200, 1_000, 100, 1_000, 2, 8, 100, true, false,
                true, Map.of(), EnumSet.allOf(Phase.class));
    }

    /** The options the environment and the command line ask for. */
    static BenchmarkOptions from(Map<String, String> environment, String[] args) {
        boolean quick = Arrays.asList(args).contains("--quick") || flag(environment, "QUICK", false);
        BenchmarkOptions base = quick ? quick() : workload();
        Set<Phase> phases = base.phases();
        String phaseList = environment.get("PHASES");
        if (phaseList != null && !phaseList.isBlank()) {
            phases = EnumSet.noneOf(Phase.class);
            for (String label : phaseList.split(",")) {
                phases.add(Phase.of(label));
            }
        }
        return new BenchmarkOptions(
                number(environment, "ACCOUNTS", base.accounts()),
                number(environment, "EVENTS", base.events()),
                number(environment, "WRITE_EVENTS", base.writeEvents()),
                number(environment, "LATENCY_COMMANDS", base.latencyCommands()), base.latencyRate(),
                number(environment, "KAFKA_LATENCY_COMMANDS", base.kafkaLatencyCommands()), base.kafkaLatencyRate(),
                number(environment, "KAFKA_PARTITIONS", base.kafkaPartitions()), base.writeThreads(),
                base.appendBatch(),
                flag(environment, "DURABLE", true), flag(environment, "PROFILE", false),
                flag(environment, "CEILING_VARIANTS", base.ceilingVariants()),
                settings(environment.get("POSTGRES_SETTINGS")), phases);
    }

    BenchmarkOptions withDurable(boolean durable) {
        return new BenchmarkOptions(accounts, events, writeEvents, latencyCommands, latencyRate, kafkaLatencyCommands,
                kafkaLatencyRate, kafkaPartitions, writeThreads, appendBatch, durable, profile, ceilingVariants,
                postgresSettings, phases);
    }

    boolean runs(Phase phase) {
        return phases.contains(phase);
    }

    int eventsPerAccount() {
        return events / accounts;
    }

    private static Set<Phase> withPrerequisites(Set<Phase> phases) {
        EnumSet<Phase> all = phases.isEmpty() ? EnumSet.noneOf(Phase.class) : EnumSet.copyOf(phases);
        if (all.contains(Phase.LATENCY)) {
            all.add(Phase.REBUILD);
        }
        if (all.contains(Phase.KAFKA_LATENCY)) {
            all.add(Phase.KAFKA_REBUILD);
        }
        if (all.contains(Phase.KAFKA_REBUILD)) {
            all.add(Phase.RELAY);
        }
        if (all.contains(Phase.REBUILD) || all.contains(Phase.SEGMENTS) || all.contains(Phase.RELAY)) {
            all.add(Phase.BULK_APPEND);
        }
        return Set.copyOf(all);
    }

    private static Map<String, String> settings(String list) {
        if (list == null || list.isBlank()) {
            return Map.of();
        }
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        for (String setting : list.split(",")) {
            int equals = setting.indexOf('=');
            if (equals < 1 || equals == setting.length() - 1) {
                throw new IllegalArgumentException("POSTGRES_SETTINGS must be name=value pairs separated by commas,"
                        + " e.g. shared_buffers=1GB,work_mem=64MB, but held '" + setting + "'");
            }
            settings.put(setting.substring(0, equals).trim(), setting.substring(equals + 1).trim());
        }
        return Map.copyOf(settings);
    }

    private static int number(Map<String, String> environment, String name, int fallback) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number but was '" + value + "'", e);
        }
    }

    private static boolean flag(Map<String, String> environment, String name, boolean fallback) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false but was '" + value + "'");
        };
    }

    private static void requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 but was " + value);
        }
    }
}
