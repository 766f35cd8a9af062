package dev.kappa.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;

import dev.kappa.eventstore.EncodedEvent;
import dev.kappa.eventstore.EventCodec;

/**
 * What PostgreSQL itself does for the write phase without group commit: the same number of client threads, each
 * committing one durable single-row insert at a time into a copy of the log's table (same columns, constraints and
 * indexes), for the same W events. Only group commit gets past it: each commit waits for its own WAL flush. The
 * table is dropped afterwards.
 */
record WriteReference(BenchmarkOptions options, BenchmarkReport report) {

    private static final String CREATE = "CREATE TABLE kappa_log_single (LIKE kappa_log INCLUDING ALL)";
    private static final String DROP = "DROP TABLE IF EXISTS kappa_log_single";
    private static final String INSERT = """
            INSERT INTO kappa_log_single (log_offset, stream_id, stream_version, event_type, payload, event_id,
                                          recorded_at)
            VALUES (?, ?, ?, ?, ?::jsonb, ?, ?::timestamptz)""";

    void run(BankDatabase database) throws Exception {
        execute(database, DROP);
        execute(database, CREATE);
        EventCodec codec = database.store().codec();
        AccountBook book = new AccountBook(options.accounts());
        String recordedAt = Instant.now().toString();
        long nanos = ClientThreads.run(options, "bench-reference", slice -> {
            try (Connection connection = database.dataSource().getConnection();
                 PreparedStatement insert = connection.prepareStatement(INSERT)) {
                connection.setAutoCommit(false);
                slice.forEachEvent(account -> {
                    Movement movement = book.next(account);
                    EncodedEvent encoded = codec.encode(movement.event());
                    insert.setLong(1, (long) movement.index() * options.accounts() + account + 1);
                    insert.setString(2, Account.streamId(movement.accountId()));
                    insert.setLong(3, movement.index() + 1);
                    insert.setString(4, encoded.type());
                    insert.setString(5, encoded.payload());
                    insert.setObject(6, UUID.randomUUID());
                    insert.setString(7, recordedAt);
                    insert.executeUpdate();
                    connection.commit();
                });
            }
        });
        long rows = database.queryLong("SELECT count(*) FROM kappa_log_single");
        report.figure("write-reference-single-inserts", rows * 1e9 / nanos, "commits/s");
        report.note("reference: PostgreSQL alone, %d clients each committing one durable single-row insert at a time"
                + " into a copy of the log's table: %d rows in %.1f s", options.writeThreads(), rows, nanos / 1e9);
        execute(database, DROP);
    }

    private static void execute(BankDatabase database, String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
