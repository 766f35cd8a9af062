package dev.kappa.benchmarks;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import dev.kappa.eventstore.EncodedEvent;
import dev.kappa.eventstore.EventCodec;

/**
 * The ceiling for bulk-append: what PostgreSQL itself does with the same rows, written by {@code COPY}, 1,000 per
 * transaction, into a table with the same columns, constraints and indexes as the log. The events are encoded by the
 * same codec inside the timing, as the store encodes them inside its own. The table is dropped afterwards.
 *
 * <p>Not thread-safe; one run on one connection.
 */
record CopyCeiling(BenchmarkOptions options, BenchmarkReport report) {

    private static final String CREATE = "CREATE TABLE kappa_log_copy (LIKE kappa_log INCLUDING ALL)";
    private static final String DROP = "DROP TABLE IF EXISTS kappa_log_copy";
    private static final String COPY = """
            COPY kappa_log_copy (log_offset, stream_id, stream_version, event_type, payload, event_id, correlation_id,
                                 causation_id, recorded_at, metadata, compaction_key, tombstone) FROM STDIN""";

    /** Times the COPY of all E rows and reports it beside bulk-append's figure. */
    void run(BankDatabase database, double bulkAppendRate) throws SQLException {
        EventCodec codec = database.store().codec();
        try (Connection connection = database.dataSource().getConnection()) {
            execute(connection, DROP);
            execute(connection, CREATE);
            connection.setAutoCommit(false);
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            StringBuilder rows = new StringBuilder();
            long[] offset = {0};
            // COPY's text format: tab between columns, \N for NULL (correlation, causation, metadata, key), f for false
            String rowEnd = "\t\\N\t\\N\t" + Instant.now() + "\t\\N\t\\N\tf\n";
            database.checkpoint();
            long started = System.nanoTime();
            new AccountBook(options.accounts()).forEachInRounds(options.eventsPerAccount(), movement -> {
                EncodedEvent encoded = codec.encode(movement.event());
                rows.append(++offset[0]).append('\t').append(Account.streamId(movement.accountId())).append('\t')
                        .append(movement.index() + 1).append('\t').append(encoded.type()).append('\t')
                        .append(escape(encoded.payload())).append('\t').append(UUID.randomUUID())
                        .append(rowEnd);
                if (offset[0] % options.appendBatch() == 0) {
                    copyAndCommit(connection, copy, rows);
                }
            });
            if (rows.length() > 0) {
                copyAndCommit(connection, copy, rows);
            }
            long nanos = System.nanoTime() - started;
            double rate = options.events() * 1e9 / nanos;
            report.note("ceiling: PostgreSQL COPY of the same %d rows, %d per transaction, into a copy of the log's"
                    + " table and indexes: %.0f rows/s; bulk-append reached %.0f%% of it", options.events(),
                    options.appendBatch(), rate, 100 * bulkAppendRate / rate);
            report.figure("bulk-append-ceiling-copy", rate, "rows/s");
            connection.setAutoCommit(true);
            execute(connection, DROP);
        }
    }

    private static void copyAndCommit(Connection connection, CopyManager copy, StringBuilder rows) {
        try {
            copy.copyIn(COPY, new StringReader(rows.toString()));
            connection.commit();
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("the COPY ceiling failed: " + e.getMessage(), e);
        }
        rows.setLength(0);
    }

    /** COPY's text format reads a backslash as an escape, so JSON's own escapes must be doubled. */
    private static String escape(String json) {
        return json.indexOf('\\') < 0 ? json : json.replace("\\", "\\\\");
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
