package dev.kappa.projections;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Counts the events of every stream in {@code upsert_counts} with {@link Upserts}, in four segments: the batched
 * counterpart of {@link CountingProjection}.
 */
@Projection(value = "upsert-counts", segments = 4)
class UpsertCountingProjection {

    private final Upserts counts = Upserts.into("upsert_counts").key("stream_id").add("events").max("last_offset");
    private final JdbcTemplate jdbc;

    UpsertCountingProjection(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE IF NOT EXISTS upsert_counts (stream_id text PRIMARY KEY, events bigint NOT NULL,"
                + " last_offset bigint NOT NULL)");
    }

    @EventHandler
    void on(Object event, EventContext context) {
        counts.row(context.streamId()).put("events", 1).put("last_offset", context.offset());
    }

    @ResetHandler
    void reset() {
        jdbc.execute("TRUNCATE upsert_counts");
    }
}
