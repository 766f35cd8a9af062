package dev.kappa.projections.internal.rebuild;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import dev.kappa.projections.internal.model.GenerationTables;

/**
 * The projections' generations and the views that point readers at the active one. Statements run in the caller's
 * Spring-managed transaction when there is one. Thread-safe.
 */
public final class PostgresGenerations {

    private static final String ENSURE_PROJECTION = """
            INSERT INTO kappa_projections (projection, active_generation, last_generation, updated_at)
            VALUES (:projection, NULL, 0, :now) ON CONFLICT (projection) DO NOTHING""";

    private static final String LOCK_PROJECTION = """
            SELECT active_generation FROM kappa_projections WHERE projection = :projection FOR UPDATE""";

    private static final String ACTIVE_GENERATION = """
            SELECT active_generation FROM kappa_projections WHERE projection = :projection""";

    private static final String GENERATIONS = """
            SELECT generation, version, segment_count, state, tables FROM kappa_projection_generations
             WHERE projection = :projection ORDER BY generation""";

    private static final String NEXT_GENERATION = """
            UPDATE kappa_projections SET last_generation = last_generation + 1, updated_at = :now
             WHERE projection = :projection RETURNING last_generation""";

    private static final String INSERT_GENERATION = """
            INSERT INTO kappa_projection_generations
                   (projection, generation, version, segment_count, state, tables, created_at, activated_at)
            VALUES (:projection, :generation, :version, :segments, :state, string_to_array(:tables, ','), :now,
                    CASE WHEN :state = 'ACTIVE' THEN CAST(:now AS timestamptz) END)""";

    private static final String INSERT_SEGMENTS = """
            INSERT INTO kappa_projection_segments (projection, generation, segment, checkpoint, caught_up, updated_at)
            SELECT :projection, :generation, segment, :checkpoint, false, :now
              FROM generate_series(0, :segments - 1) AS segment""";

    private static final String RETIRE = """
            UPDATE kappa_projection_generations SET state = 'RETIRED', retired_at = :now
             WHERE projection = :projection AND generation = :generation""";

    /** Deleting the rows fences the generation's workers out: their next compare-and-set finds nothing. */
    private static final String DELETE_SEGMENTS = """
            DELETE FROM kappa_projection_segments WHERE projection = :projection AND generation = :generation""";

    private static final String ACTIVATE = """
            UPDATE kappa_projection_generations SET state = 'ACTIVE', activated_at = :now
             WHERE projection = :projection AND generation = :generation""";

    private static final String SET_ACTIVE = """
            UPDATE kappa_projections SET active_generation = :generation, updated_at = :now
             WHERE projection = :projection""";

    private static final String BUILD_STATE = """
            SELECT count(*) AS segments, coalesce(bool_and(caught_up AND failed_offset IS NULL), false) AS ready,
                   coalesce(min(checkpoint), 0) AS checkpoint
              FROM kappa_projection_segments WHERE projection = :projection AND generation = :generation""";

    private static final String DELETE_GENERATION = """
            DELETE FROM kappa_projection_generations WHERE projection = :projection AND generation = :generation""";

    private static final String RELATION_KIND = "SELECT relkind::text FROM pg_class WHERE oid = to_regclass(?)";

    /** Waiting for readers' locks is bounded: a switch or a drop that cannot get its locks is tried again later. */
    private static final String LOCK_TIMEOUT = "SET LOCAL lock_timeout = '5s'";

    private final NamedParameterJdbcTemplate named;
    private final JdbcTemplate jdbc;

    public PostgresGenerations(DataSource dataSource) {
        this.named = new NamedParameterJdbcTemplate(dataSource);
        this.jdbc = named.getJdbcTemplate();
    }

    /**
     * Creates the projection's row if needed and locks it until the transaction ends, serializing the preparation of
     * its generations across instances.
     *
     * @return the active generation, if any
     */
    public Optional<Integer> lockProjection(String projection, Instant now) {
        MapSqlParameterSource params = new MapSqlParameterSource("projection", projection)
                .addValue("now", Timestamp.from(now));
        named.update(ENSURE_PROJECTION, params);
        return Optional.ofNullable(named.queryForObject(LOCK_PROJECTION, params, Integer.class));
    }

    /** The active generation, read without locking. */
    public Optional<Integer> activeGeneration(String projection) {
        List<Integer> rows = named.queryForList(ACTIVE_GENERATION,
                new MapSqlParameterSource("projection", projection), Integer.class);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    /** Every generation of the projection, retired ones included, by number. */
    public List<GenerationRow> generations(String projection) {
        return named.query(GENERATIONS, new MapSqlParameterSource("projection", projection), (rs, n) -> row(rs));
    }

    /**
     * Creates a generation with its segment rows at {@code checkpoint}, under a new number.
     *
     * @return the new generation
     */
    public GenerationRow create(String projection, int version, int segments, GenerationRow.State state,
                                List<String> tables, long checkpoint, Instant now) {
        MapSqlParameterSource params = new MapSqlParameterSource("projection", projection)
                .addValue("now", Timestamp.from(now));
        Integer generation = named.queryForObject(NEXT_GENERATION, params, Integer.class);
        params.addValue("generation", generation).addValue("version", version).addValue("segments", segments)
                .addValue("state", state.name()).addValue("checkpoint", checkpoint);
        // table names are checked identifiers, so they cannot hold the separator
        named.update(INSERT_GENERATION, params.addValue("tables", String.join(",", tables)));
        named.update(INSERT_SEGMENTS, params);
        if (state == GenerationRow.State.ACTIVE) {
            named.update(SET_ACTIVE, params);
        }
        return new GenerationRow(generation, version, segments, state, tables);
    }

    /** Empties a blue-green generation's tables, in the caller's transaction. */
    public void truncate(GenerationRow generation) {
        if (generation.tables().isEmpty()) {
            return;
        }
        jdbc.execute("TRUNCATE " + String.join(", ", generation.tables().stream()
                .map(table -> GenerationTables.physicalName(table, generation.generation())).toList()));
    }

    /** Retires a generation: its segment rows go (fencing its workers out), its tables wait to be dropped. */
    public void retire(String projection, int generation, Instant now) {
        MapSqlParameterSource params = generation(projection, generation).addValue("now", Timestamp.from(now));
        named.update(RETIRE, params);
        named.update(DELETE_SEGMENTS, params);
    }

    /**
     * Whether a building generation may replace the active one: all its segments caught up and none failed, and its
     * lowest checkpoint not below the active one's, so that no reader sees the read model go back in time.
     */
    public boolean readyToActivate(String projection, int building, Optional<Integer> active) {
        BuildState candidate = buildState(projection, building);
        if (candidate.segments() == 0 || !candidate.ready()) {
            return false;
        }
        return active.map(current -> buildState(projection, current))
                .map(current -> current.segments() == 0 || candidate.checkpoint() >= current.checkpoint())
                .orElse(true);
    }

    /**
     * Makes a generation the active one: points each table's view at its tables, retires the previous active
     * generation and records the switch, all in the caller's transaction, so that readers see the old tables until
     * the commit and the new ones after it.
     *
     * @throws IllegalStateException if a table (not a view) holds the name a view needs
     */
    public void activate(String projection, GenerationRow generation, Optional<Integer> previous, Instant now) {
        jdbc.execute(LOCK_TIMEOUT);
        for (String table : generation.tables()) {
            String kind = jdbc.query(RELATION_KIND, rs -> rs.next() ? rs.getString(1) : null, table);
            if (kind != null && !kind.equals("v")) {
                throw new IllegalStateException("projection '" + projection + "' needs the name '" + table
                        + "' for the view readers query, but a relation of kind '" + kind + "' (not a view) has it:"
                        + " drop or rename it");
            }
            // the names are checked identifiers (ProjectionDefinition), so they are safe in DDL
            jdbc.execute("DROP VIEW IF EXISTS " + table);
            jdbc.execute("CREATE VIEW " + table + " AS SELECT * FROM "
                    + GenerationTables.physicalName(table, generation.generation()));
        }
        previous.ifPresent(old -> retire(projection, old, now));
        MapSqlParameterSource params = generation(projection, generation.generation())
                .addValue("now", Timestamp.from(now));
        named.update(ACTIVATE, params);
        named.update(SET_ACTIVE, params);
    }

    /** Drops a retired generation's tables and forgets it, in the caller's transaction. */
    public void drop(String projection, GenerationRow generation) {
        jdbc.execute(LOCK_TIMEOUT);
        for (String table : generation.tables()) {
            jdbc.execute("DROP TABLE IF EXISTS " + GenerationTables.physicalName(table, generation.generation()));
        }
        named.update(DELETE_GENERATION, generation(projection, generation.generation()));
    }

    private BuildState buildState(String projection, int generation) {
        return named.queryForObject(BUILD_STATE, generation(projection, generation),
                (rs, n) -> new BuildState(rs.getInt("segments"), rs.getBoolean("ready"), rs.getLong("checkpoint")));
    }

    private static MapSqlParameterSource generation(String projection, int generation) {
        return new MapSqlParameterSource("projection", projection).addValue("generation", generation);
    }

    private static GenerationRow row(ResultSet rs) throws SQLException {
        Array tables = rs.getArray("tables");
        List<String> names = Arrays.asList((String[]) tables.getArray());
        return new GenerationRow(rs.getInt("generation"), rs.getInt("version"), rs.getInt("segment_count"),
                GenerationRow.State.valueOf(rs.getString("state")), names);
    }

    private record BuildState(int segments, boolean ready, long checkpoint) {
    }
}
