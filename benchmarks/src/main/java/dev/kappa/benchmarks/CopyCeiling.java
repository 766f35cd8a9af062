package dev.kappa.benchmarks;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import dev.kappa.eventstore.EncodedEvent;
import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.LogShare;

/**
 * The ceiling for bulk-append: what PostgreSQL itself does with the same rows, written by {@code COPY}, 1,000 per
 * transaction, into a table with the same columns, constraints and indexes as the log. The events are encoded by the
 * same codec inside the timing, as the store encodes them inside its own, and each row's stream hash is computed there
 * too ({@link LogShare#streamHash}: the store writes it with every record). Then, unless
 * {@code CEILING_VARIANTS=false}, the same rows into two other shapes of the log, to show what its schema costs: with the stream id interned as a
 * {@code bigint} (the account's number; constraints and indexes as the log's), and with the primary key alone (no
 * other index or constraint but the columns' {@code NOT NULL}). Each table is dropped after its copy (at 10,000,000
 * events each is several GB).
 *
 * <p>Not thread-safe; one run on one connection.
 */
record CopyCeiling(BenchmarkOptions options, BenchmarkReport report) {

    /** A table the rows are copied into, the statements that create it, and whether its stream id is a number. */
    private record Target(String table, List<String> create, boolean internedStreamId) {

        String drop() {
            return "DROP TABLE IF EXISTS " + table;
        }

        String copy() {
            return "COPY " + table + " (log_offset, stream_id, stream_version, event_type, payload, event_id,"
                    + " correlation_id, causation_id, recorded_at, metadata, compaction_key, tombstone, stream_hash)"
                    + " FROM STDIN";
        }
    }

    private static final String SHAPE = """
            SELECT format_type(a.atttypid, a.atttypmod) AS stream_id_type,
                   (SELECT string_agg(indexname, ', ' ORDER BY indexname) FROM pg_indexes
                     WHERE schemaname = current_schema() AND tablename = c.relname) AS indexes,
                   (SELECT count(*) FROM pg_constraint WHERE conrelid = c.oid AND contype = 'c') AS checks
              FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'stream_id'
             WHERE c.oid = to_regclass(?)""";
    private static final Target LOG_COPY = new Target("kappa_log_copy",
            List.of("CREATE TABLE kappa_log_copy (LIKE kappa_log INCLUDING ALL)"), false);
    /** The log's table, constraints and indexes (stream and version unique among them) with a bigint stream id. */
    private static final Target INTERNED = new Target("kappa_log_copy_interned", List.of(
            "CREATE TABLE kappa_log_copy_interned (LIKE kappa_log INCLUDING ALL)",
            "ALTER TABLE kappa_log_copy_interned ALTER COLUMN stream_id TYPE bigint USING stream_id::bigint"), true);
    /** The log's columns (and their NOT NULL) with the primary key on the offset, and nothing else. */
    private static final Target PRIMARY_KEY_ONLY = new Target("kappa_log_copy_pk_only", List.of(
            """
            CREATE TABLE kappa_log_copy_pk_only (LIKE kappa_log INCLUDING ALL EXCLUDING CONSTRAINTS EXCLUDING INDEXES)""",
            "ALTER TABLE kappa_log_copy_pk_only ADD CONSTRAINT kappa_log_copy_pk_only_pk PRIMARY KEY (log_offset)"),
            false);

    /** Times the COPY of all E rows and reports it beside bulk-append's figure; then the variants, if asked for. */
    void run(BankDatabase database, double bulkAppendRate) throws SQLException {
        double rate = copy(database, LOG_COPY);
        report.note("ceiling: PostgreSQL COPY of the same %d rows, %d per transaction, into a copy of the log's"
                + " table and indexes: %.0f rows/s; bulk-append reached %.0f%% of it", options.events(),
                options.appendBatch(), rate, 100 * bulkAppendRate / rate);
        report.figure("bulk-append-ceiling-copy", rate, "rows/s");
        if (!options.ceilingVariants()) {
            return;
        }
        double interned = copy(database, INTERNED);
        report.figure("bulk-append-ceiling-copy-interned", interned, "rows/s");
        double primaryKeyOnly = copy(database, PRIMARY_KEY_ONLY);
        report.figure("bulk-append-ceiling-copy-pk-only", primaryKeyOnly, "rows/s");
        report.note("ceiling variants, the same rows: stream id interned as a bigint %.0f rows/s (%.2fx the log's"
                        + " copy; bulk-append at %.2f of it); primary key alone %.0f rows/s (%.2fx the log's copy;"
                        + " bulk-append at %.2f of it)", interned, interned / rate, bulkAppendRate / interned,
                primaryKeyOnly, primaryKeyOnly / rate, bulkAppendRate / primaryKeyOnly);
    }

    /** Creates the target, copies every row into it, 1,000 per transaction, drops it; returns the rows per second. */
    private double copy(BankDatabase database, Target target) throws SQLException {
        EventCodec codec = database.store().codec();
        try (Connection connection = database.dataSource().getConnection()) {
            execute(connection, target.drop());
            try {
                for (String statement : target.create()) {
                    execute(connection, statement);
                }
                describe(connection, target);
                connection.setAutoCommit(false);
                CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
                String copyStatement = target.copy();
                StringBuilder rows = new StringBuilder();
                long[] offset = {0};
                // COPY's text format: tab between columns, \N for NULL (correlation, causation, metadata, key), f for
                // false; then the stream hash, which the store writes with every record too
                String beforeHash = "\t\\N\t\\N\t" + Instant.now() + "\t\\N\t\\N\tf\t";
                database.checkpoint();
                long started = System.nanoTime();
                new AccountBook(options.accounts()).forEachInRounds(options.eventsPerAccount(), movement -> {
                    EncodedEvent encoded = codec.encode(movement.event());
                    String streamId = Account.streamId(movement.accountId());
                    rows.append(++offset[0]).append('\t');
                    if (target.internedStreamId()) {
                        rows.append(movement.account());
                    } else {
                        rows.append(streamId);
                    }
                    rows.append('\t').append(movement.index() + 1).append('\t').append(encoded.type()).append('\t')
                            .append(escape(encoded.payload())).append('\t').append(UUID.randomUUID())
                            .append(beforeHash).append(LogShare.streamHash(streamId))
                            .append('\n');
                    if (offset[0] % options.appendBatch() == 0) {
                        copyAndCommit(connection, copy, copyStatement, rows);
                    }
                });
                if (rows.length() > 0) {
                    copyAndCommit(connection, copy, copyStatement, rows);
                }
                long nanos = System.nanoTime() - started;
                return options.events() * 1e9 / nanos;
            } finally {
                if (!connection.getAutoCommit()) {
                    connection.rollback(); // nothing left to undo after the last commit; the failed copy's rows if not
                    connection.setAutoCommit(true);
                }
                execute(connection, target.drop());
            }
        }
    }

    private static void copyAndCommit(Connection connection, CopyManager copy, String statement, StringBuilder rows) {
        try {
            copy.copyIn(statement, new StringReader(rows.toString()));
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

    /** Says what the copy goes into, so that a run shows the shape it measured, not only the one meant. */
    private void describe(Connection connection, Target target) throws SQLException {
        try (PreparedStatement shape = connection.prepareStatement(SHAPE)) {
            shape.setString(1, target.table());
            try (ResultSet row = shape.executeQuery()) {
                row.next();
                report.note("ceiling table %s: stream_id %s; indexes: %s; check constraints: %d", target.table(),
                        row.getString("stream_id_type"), row.getString("indexes"), row.getInt("checks"));
            }
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
