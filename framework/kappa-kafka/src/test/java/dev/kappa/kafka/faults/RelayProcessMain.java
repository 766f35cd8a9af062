package dev.kappa.kafka.faults;

import java.util.Map;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.kappa.eventstore.EventStore;
import dev.kappa.kafka.relay.KafkaRelay;
import dev.kappa.kafka.relay.RelayTopics;

/**
 * A relay in a JVM of its own, for {@link RelayProcess}: relays the log of the given PostgreSQL database to the given
 * broker until it is killed, printing its status each second. It halts if the JVM that started it goes away.
 *
 * <p>Arguments: parent pid, JDBC URL, bootstrap servers, transactional id, retained topic, compacted topic, position
 * topic, routed prefix, routed topic.
 */
public final class RelayProcessMain {

    private RelayProcessMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ProcessHandle.of(Long.parseLong(args[0])).ifPresentOrElse(
                handle -> handle.onExit().thenRun(() -> Runtime.getRuntime().halt(3)),
                () -> Runtime.getRuntime().halt(3));
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[1]);
        config.setUsername("postgres");
        config.setMaximumPoolSize(4);
        RelayTopics topics = new RelayTopics(args[4], args[5], args[6], Map.of(args[7], args[8]),
                FaultRelays.PARTITIONS, (short) 1);
        HikariDataSource dataSource = new HikariDataSource(config);
        EventStore store = FaultRelays.store(dataSource);
        KafkaRelay relay = FaultRelays.relay(dataSource, store, args[2], topics, args[3],
                "child-" + ProcessHandle.current().pid());
        relay.start();
        System.out.println("relay started");
        while (true) {
            Thread.sleep(1_000);
            System.out.println(relay.status());
        }
    }
}
