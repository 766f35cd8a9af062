package dev.kappa.benchmarks;

import javax.sql.DataSource;

import dev.kappa.projections.Projection;

/**
 * {@link BalanceProjection}'s read model, {@code account_balance_kafka}, fed from the topic the relay writes instead
 * of the PostgreSQL log: its segments are the topic's partitions, its positions per partition commit with its rows.
 */
@Projection(value = KafkaBalanceProjection.NAME, topic = KafkaBalanceProjection.TOPIC)
final class KafkaBalanceProjection extends BalanceProjection {

    static final String NAME = "account-balance-kafka";
    static final String TABLE = "account_balance_kafka";
    /** The relay's retained topic in the benchmark: every bank event goes there, keyed by stream id. */
    static final String TOPIC = "bank.log";

    KafkaBalanceProjection(DataSource dataSource) {
        super(dataSource, TABLE);
    }
}
