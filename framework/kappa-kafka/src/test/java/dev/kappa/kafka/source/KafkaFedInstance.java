package dev.kappa.kafka.source;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.kappa.eventstore.EventStore;
import dev.kappa.projections.ProjectionRuntime;
import dev.kappa.projections.RetryPolicy;

/**
 * One instance of a fleet running the Kafka-fed {@link AccountActivity}, in a JVM of its own so that a test can kill it
 * with SIGKILL: {@code KafkaFedInstance <jdbc-url> <bootstrap-servers> <topic> <position-topic> <instance-id>
 * <handler-delay-micros> <lease-millis>}. Prints {@code ready <instance-id>} once its runtime has started, then runs
 * until killed. Its connections carry the instance id as their application name.
 */
public final class KafkaFedInstance {

    private KafkaFedInstance() {
    }

    public static void main(String[] args) throws Exception {
        String jdbcUrl = args[0];
        String bootstrapServers = args[1];
        String topic = args[2];
        String positionTopic = args[3];
        String instanceId = args[4];
        long delayMicros = Long.parseLong(args[5]);
        Duration lease = Duration.ofMillis(Long.parseLong(args[6]));
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername("postgres");
        config.setMaximumPoolSize(8);
        config.addDataSourceProperty("ApplicationName", instanceId);
        HikariDataSource dataSource = new HikariDataSource(config);
        EventStore store = EventStore.builder(dataSource).codec(KafkaFedTest.codec()).build();
        KafkaRecordSources sources = new KafkaRecordSources(KafkaFedTest.clientProperties(bootstrapServers),
                positionTopic);
        ProjectionRuntime runtime = ProjectionRuntime.builder(dataSource, store)
                .instanceId(instanceId)
                .leaseDuration(lease)
                .catchUpBatchSize(100)
                .liveBatchSize(50)
                .retryPolicy(RetryPolicy.backOff(3, Duration.ofMillis(1), Duration.ofMillis(5)))
                .recordSources(sources)
                .topic("account-activity", topic)
                .build();
        runtime.register(new AccountActivity(dataSource, delayMicros * 1_000));
        runtime.start();
        System.out.println("ready " + instanceId);
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
