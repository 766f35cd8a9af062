package dev.kappa.projections;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two versions of a blue-green projection of per-stream totals, read through the view {@code totals}: version 1
 * counts each stream's events ({@code n}); version 2 counts ten per event and adds a column. Each can hold its worker
 * at one offset with a {@link Gate}.
 */
final class TotalsProjections {

    private TotalsProjections() {
    }

    /** Version 1: {@code totals(stream_id, n)}, one per event, written with {@code JdbcTemplate}. */
    @Projection(value = "totals", version = 1, tables = "totals")
    static final class V1 {
        private final JdbcTemplate jdbc;
        private final Gate gate;
        private final long holdAt;

        V1(DataSource dataSource, Gate gate, long holdAt) {
            this.jdbc = new JdbcTemplate(dataSource);
            this.gate = gate;
            this.holdAt = holdAt;
        }

        V1(DataSource dataSource) {
            this(dataSource, new Gate(), -1);
        }

        @CreateTables
        void create(ProjectionTables tables) {
            jdbc.execute("CREATE TABLE " + tables.name("totals") + " (stream_id text PRIMARY KEY, n bigint NOT NULL)");
        }

        @EventHandler
        void on(Object event, EventContext context) {
            jdbc.update("INSERT INTO " + context.table("totals") + " AS t (stream_id, n) VALUES (?, 1)"
                    + " ON CONFLICT (stream_id) DO UPDATE SET n = t.n + 1", context.streamId());
            if (context.offset() == holdAt) {
                gate.pass();
            }
        }
    }

    /** Version 2: {@code totals(stream_id, n, kind)}, ten per event, written with {@link Upserts}. */
    @Projection(value = "totals", version = 2, tables = "totals")
    static final class V2 {
        private final Upserts totals = Upserts.into("totals").key("stream_id").add("n").set("kind");
        private final JdbcTemplate jdbc;
        private final Gate gate;
        private final long holdAt;

        V2(DataSource dataSource, Gate gate, long holdAt) {
            this.jdbc = new JdbcTemplate(dataSource);
            this.gate = gate;
            this.holdAt = holdAt;
        }

        @CreateTables
        void create(ProjectionTables tables) {
            jdbc.execute("CREATE TABLE " + tables.name("totals")
                    + " (stream_id text PRIMARY KEY, n bigint NOT NULL, kind text NOT NULL)");
        }

        @EventHandler
        void on(Object event, EventContext context) {
            totals.row(context.streamId()).put("n", 10).put("kind", "v2");
            if (context.offset() == holdAt) {
                gate.pass();
            }
        }
    }
}
