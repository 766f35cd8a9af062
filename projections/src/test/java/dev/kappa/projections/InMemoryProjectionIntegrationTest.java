package dev.kappa.projections;

import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import static dev.kappa.projections.TestEvents.deposited;
import static dev.kappa.projections.TestEvents.note;
import static dev.kappa.projections.TestEvents.opened;
import static dev.kappa.projections.TestEvents.withdrawn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** In-memory projections: rebuilt from the log at start-up, checkpoint in memory, "caught up" for readiness. */
class InMemoryProjectionIntegrationTest extends ProjectionIntegrationTest {

    InMemoryProjectionIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void anInMemoryProjectionRebuiltAtStartEqualsTheDatabaseProjectionOfTheSameEvents() throws Exception {
        // given a bank's log, and a database projection of its balances
        appendBank(100, 20);
        ProjectionRuntime first = started(new BalanceProjection(dataSource));
        awaitHead(first, "balances");
        first.close();

        // when an application starts with an in-memory projection of the same events
        InMemoryBalances memory = new InMemoryBalances();
        ProjectionRuntime runtime = started(memory);
        assertThat(runtime.awaitCaughtUp(PATIENCE)).isTrue();

        // then the cache equals the table, and its checkpoint is kept in memory only
        assertThat(memory.snapshot()).isEqualTo(table()).hasSize(100);
        assertThat(runtime.status("memory-balances").inMemory()).isTrue();
        assertThat(runtime.status("memory-balances").checkpoint()).isEqualTo(store.head());
        assertThat(sql.queryLong("SELECT count(*) FROM kappa_projections")).isEqualTo(1);

        // and it follows the log live
        append("acc-7", deposited(1_000));
        awaitHead(runtime, "memory-balances");
        assertThat(memory.balances.getIfPresent("acc-7").balance())
                .isEqualTo(table().get("acc-7").balance() + 1_000);
    }

    @Test
    void anApplicationIsCaughtUpOnlyOnceItsInMemoryProjectionHasReplayedTheLog() throws Exception {
        appendBank(10, 10);
        Gate gate = new Gate();
        gate.close();
        ProjectionRuntime runtime = runtime(builder -> builder.catchUpBatchSize(10), new InMemoryBalances(gate, 50));
        assertThat(runtime.isCaughtUp()).as("before start").isFalse();
        try {
            runtime.start();
            gate.awaitWaiting();

            assertThat(runtime.isCaughtUp()).isFalse();
            assertThat(runtime.isCaughtUp("memory-balances")).isFalse();
            assertThat(runtime.status("memory-balances").caughtUp()).isFalse();
        } finally {
            gate.open();
        }
        assertThat(runtime.awaitCaughtUp(PATIENCE)).isTrue();
        assertThat(runtime.status("memory-balances").caughtUp()).isTrue();
        assertThat(runtime.status("memory-balances").state()).isEqualTo(ProjectionState.RUNNING);
    }

    @Test
    void resettingAnInMemoryProjectionEmptiesItsCachesAndReplaysTheLog() throws Exception {
        appendBank(20, 5);
        InMemoryBalances memory = new InMemoryBalances();
        ProjectionRuntime runtime = started(memory);
        awaitHead(runtime, "memory-balances");
        Map<String, InMemoryBalances.Balance> before = memory.snapshot();
        memory.balances.put("garbage", new InMemoryBalances.Balance(-1, -1));

        runtime.reset("memory-balances");

        awaitHead(runtime, "memory-balances");
        assertThat(memory.snapshot()).isEqualTo(before);
        assertThatThrownBy(() -> runtime.reset("memory-balances", 3))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be reset to offset 3")
                .hasMessageContaining("@ResetHandler");
    }

    private Map<String, InMemoryBalances.Balance> table() {
        Map<String, InMemoryBalances.Balance> rows = new TreeMap<>();
        jdbc.query("SELECT account_id, balance, version FROM account_balance", rs -> {
            rows.put(rs.getString(1), new InMemoryBalances.Balance(rs.getLong(2), rs.getLong(3)));
        });
        return rows;
    }

    private void appendBank(int accounts, int rounds) {
        for (int a = 0; a < accounts; a++) {
            append("acc-" + a, opened("owner " + a));
        }
        for (int r = 1; r <= rounds; r++) {
            for (int a = 0; a < accounts; a++) {
                append("acc-" + a, r % 4 == 0 ? withdrawn(a % 5) : deposited(a * r));
                if (a % 10 == 0) {
                    append("notes", note("round " + r));
                }
            }
        }
    }

}
