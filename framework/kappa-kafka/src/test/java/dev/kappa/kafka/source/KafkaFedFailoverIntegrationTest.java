package dev.kappa.kafka.source;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

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
        // given 3,000 deposits relayed to a topic of 4 partitions, and the projection's tables
        deposit(EVENTS, 60);
        relay(0);
        new AccountActivity(dataSource);

        // and two instances in one fleet: the victim, in a JVM of its own with a slow handler, and the survivor here
        victim = startInstance("victim", 2_000);
        ProjectionRuntime survivor = runtime(builder -> builder.instanceId("survivor").leaseDuration(LEASE)
                .catchUpBatchSize(100).liveBatchSize(50), new AccountActivity(dataSource));
        survivor.start();
        await().atMost(PATIENCE).until(() -> owned("victim") >= 1 && owned("survivor") >= 1);

        // when the victim is killed with SIGKILL while a batch of its is open
        await().atMost(PATIENCE).until(() -> committedBy("victim") && inTransaction("victim"));
        victim.destroyForcibly().waitFor();

        // then the survivor takes its partitions over and applies every event exactly once
        assertThat(survivor.awaitCheckpoint("account-activity", store.head(), Duration.ofSeconds(60)).reached())
                .isTrue();
        // (its leases are renewed every third of their duration: a loaded machine may let one lapse for a moment)
        await().atMost(PATIENCE).until(() -> owned("survivor") == 4);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM activity_applications", Long.class)).isEqualTo(EVENTS);
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT log_offset) FROM activity_applications", Long.class))
                .isEqualTo(EVENTS);
        assertThat(activity()).isEqualTo(replay());
    }

    /** How many segments of the projection an instance holds a live lease on. */
    private long owned(String instance) {
        return jdbc.queryForObject("SELECT count(*) FROM kappa_projection_segments WHERE projection = 'account-activity'"
                + " AND owner = ? AND lease_until >= now()", Long.class, instance);
    }

    /** Whether a segment the instance holds has moved its checkpoint: it has committed a batch. */
    private boolean committedBy(String instance) {
        return jdbc.queryForObject("SELECT count(*) FROM kappa_projection_segments WHERE projection = 'account-activity'"
                + " AND owner = ? AND checkpoint > 0", Long.class, instance) > 0;
    }

    /** Whether one of the instance's connections is inside a transaction: a batch is being applied. */
    private boolean inTransaction(String instance) {
        return jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?"
                + " AND state = 'idle in transaction' AND query LIKE '%activity%'", Long.class, instance) > 0;
    }

    private Process startInstance(String instance, long delayMicros) throws Exception {
        Path out = Files.createTempFile(output, instance, ".out");
        Path log = Files.createTempFile(output, instance, ".log");
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
