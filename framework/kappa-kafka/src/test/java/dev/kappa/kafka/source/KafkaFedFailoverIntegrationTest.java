package dev.kappa.kafka.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.sql.DataSource;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kappa.postgres.embedded.junit.TestDatabase;
import dev.kappa.projections.ProjectionRuntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of an application share a Kafka-fed projection's partitions as its consumer group assigns them; one
 * of them is killed with SIGKILL in the middle of a batch, and once the group has moved its partitions (after the
 * group's short session timeout) the other takes them over from the positions committed with the read model: every
 * relayed event is applied exactly once.
 */
class KafkaFedFailoverIntegrationTest extends KafkaFedTest {

    private static final int EVENTS = 3_000;
    private static final Duration LEASE = Duration.ofSeconds(2);

    private final TestDatabase database;
    @TempDir
    Path output;
    private Process victim;
    private Path victimLog;

    KafkaFedFailoverIntegrationTest(DataSource dataSource, TestDatabase database) {
        super(dataSource);
        this.database = database;
    }

    @Override
    int partitions() {
        return 4;
    }

    @AfterEach
    void killTheVictim() {
        if (victim != null) {
            victim.destroyForcibly();
        }
    }

    @Test
    void theSurvivorTakesOverTheKilledInstancesPartitionsAndEveryEventIsAppliedExactlyOnce() throws Exception {
        // given 300 deposits relayed to a topic of 4 partitions, and the projection's tables
        deposit(300, 60);
        relay(0);
        new AccountActivity(dataSource);

        // and two instances in one fleet: the victim, in a JVM of its own with a slow handler, and the survivor here
        // (10 ms an event, so that the victim is still at work when it is killed)
        victim = startInstance("victim", 10_000);
        ProjectionRuntime survivor = runtime(builder -> builder.instanceId("survivor").leaseDuration(LEASE)
                .catchUpBatchSize(100).liveBatchSize(50), new AccountActivity(dataSource));
        survivor.start();
        awaitFleet("both instances hold a segment", () -> owned("victim") >= 1 && owned("survivor") >= 1);

        // when 2,700 more are relayed, once the instances share the partitions (so that the victim has seconds of
        // work ahead of it however long sharing them took), and the victim is killed with SIGKILL in one of its batches
        long relayed = store.head();
        Map<Integer, Long> before = checkpoints();
        deposit(EVENTS - 300, 60);
        relay(relayed);
        awaitFleet("the victim has committed a batch of them and is inside another",
                () -> committedSince("victim", before) && inTransaction("victim"));
        victim.destroyForcibly().waitFor();

        // then the survivor takes its partitions over and applies every event exactly once
        assertThat(survivor.awaitCheckpoint("account-activity", store.head(), Duration.ofSeconds(60)).reached())
                .isTrue();
        // (its leases are renewed every third of their duration: a loaded machine may let one lapse for a moment)
        awaitFleet("the survivor holds every segment", () -> owned("survivor") == 4);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM activity_applications", Long.class)).isEqualTo(EVENTS);
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT log_offset) FROM activity_applications", Long.class))
                .isEqualTo(EVENTS);
        assertThat(activity()).isEqualTo(replay());
    }

    /** Waits for {@code condition}; if it does not come, fails with the segments' rows and the victim's log. */
    private void awaitFleet(String condition, Callable<Boolean> holds) throws Exception {
        try {
            await().atMost(PATIENCE).until(holds);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not within " + PATIENCE + ": " + condition + "; segments (segment, owner, lease"
                    + " left, checkpoint): " + jdbc.queryForList("SELECT segment, owner, lease_until - now(),"
                    + " checkpoint FROM kappa_projection_segments WHERE projection = 'account-activity' ORDER BY"
                    + " segment") + "\nthe victim's log ends:\n" + tail(victimLog), e);
        }
    }

    private static String tail(Path file) throws IOException {
        if (file == null) {
            return "(none)";
        }
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** How many segments of the projection an instance holds a live lease on. */
    private long owned(String instance) {
        return jdbc.queryForObject("SELECT count(*) FROM kappa_projection_segments WHERE projection = 'account-activity'"
                + " AND owner = ? AND lease_until >= now()", Long.class, instance);
    }

    /** Each segment's checkpoint, by segment. */
    private Map<Integer, Long> checkpoints() {
        Map<Integer, Long> checkpoints = new HashMap<>();
        jdbc.query("SELECT segment, checkpoint FROM kappa_projection_segments WHERE projection = 'account-activity'",
                (ResultSet rs) -> {
                    checkpoints.put(rs.getInt(1), rs.getLong(2));
                });
        return checkpoints;
    }

    /** Whether a segment the instance holds has moved its checkpoint beyond {@code before}: it committed a batch. */
    private boolean committedSince(String instance, Map<Integer, Long> before) {
        return jdbc.queryForList("SELECT segment, checkpoint FROM kappa_projection_segments WHERE projection ="
                + " 'account-activity' AND owner = ?", instance).stream()
                .anyMatch(row -> ((Number) row.get("checkpoint")).longValue()
                        > before.getOrDefault(((Number) row.get("segment")).intValue(), 0L));
    }

    /** Whether one of the instance's connections is inside a transaction: a batch is being applied. */
    private boolean inTransaction(String instance) {
        return jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?"
                + " AND state = 'idle in transaction' AND query LIKE '%activity%'", Long.class, instance) > 0;
    }

    private Process startInstance(String instance, long delayMicros) throws Exception {
        Path out = Files.createTempFile(output, instance, ".out");
        Path log = Files.createTempFile(output, instance, ".log");
        victimLog = log;
        Process process = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                KafkaFedInstance.class.getName(), database.jdbcUrl(), broker.bootstrapServers(), topic,
                positionTopic, instance, Long.toString(delayMicros), Long.toString(LEASE.toMillis()))
                // files, not pipes: nobody has to keep reading them
                .redirectOutput(out.toFile())
                .redirectError(log.toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        Optional<String> ready = Optional.empty();
        while (ready.isEmpty() && process.isAlive() && System.nanoTime() - deadline < 0) {
            Thread.sleep(100);
            ready = Files.readAllLines(out).stream().filter(line -> line.startsWith("ready ")).findFirst();
        }
        if (ready.isEmpty()) {
            process.destroyForcibly();
            throw new AssertionError("instance " + instance + " did not start; its log:\n" + Files.readString(log));
        }
        return process;
    }
}
