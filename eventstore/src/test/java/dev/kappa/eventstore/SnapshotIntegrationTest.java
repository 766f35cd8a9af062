package dev.kappa.eventstore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotIntegrationTest extends LogIntegrationTest {

    private SnapshotStore snapshots;

    SnapshotIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @BeforeEach
    void useTheStoresSnapshots() {
        snapshots = store.snapshots();
    }

    @Test
    void aSavedStateLoadsBackEqualWithItsVersionAndTime() {
        // given
        Cart cart = cart("ada", 3);

        // when
        boolean saved = snapshots.save("cart-1", 7, cart);
        java.util.Optional<Snapshot<Cart>> loaded = snapshots.load("cart-1", Cart.class);

        // then
        assertThat(saved).isTrue();
        assertThat(loaded).contains(new Snapshot<>("cart-1", 7, cart, NOW));
        assertThat(loaded.orElseThrow().state().lines()).hasSize(3)
                .first().satisfies(line -> assertThat(line.price()).isEqualTo(new Money(100, "EUR")));
        assertThat(loaded.orElseThrow().state().shipTo()).isEqualTo(new Address("1 Main St", "Springfield"));
    }

    @Test
    void aNewerVersionReplacesTheStoredSnapshot() {
        // given
        snapshots.save("cart-1", 3, cart("ada", 1));
        clock.advance(Duration.ofMinutes(5));

        // when
        boolean saved = snapshots.save("cart-1", 4, cart("ada", 2));

        // then
        assertThat(saved).isTrue();
        assertThat(snapshots.load("cart-1", Cart.class))
                .contains(new Snapshot<>("cart-1", 4, cart("ada", 2), NOW.plus(Duration.ofMinutes(5))));
        assertThat(sql.queryLong("SELECT count(*) FROM kappa_snapshots")).isEqualTo(1);
    }

    @Test
    void anOlderOrEqualVersionIsIgnored() {
        // given
        snapshots.save("cart-1", 5, cart("ada", 5));
        clock.advance(Duration.ofMinutes(5));

        // when a slower writer saves an older snapshot, or another one of the same version
        boolean older = snapshots.save("cart-1", 4, cart("ada", 4));
        boolean equal = snapshots.save("cart-1", 5, cart("bob", 1));

        // then the stored snapshot is untouched, time included
        assertThat(older).isFalse();
        assertThat(equal).isFalse();
        assertThat(snapshots.load("cart-1", Cart.class)).contains(new Snapshot<>("cart-1", 5, cart("ada", 5), NOW));
    }

    @Test
    void snapshotsOfDifferentStreamsAreKeptApart() {
        snapshots.save("cart-1", 2, cart("ada", 1));
        snapshots.save("cart-2", 9, cart("bob", 2));

        assertThat(snapshots.load("cart-1", Cart.class)).get().extracting(Snapshot::version).isEqualTo(2L);
        assertThat(snapshots.load("cart-2", Cart.class)).get().extracting(Snapshot::state).isEqualTo(cart("bob", 2));
    }

    @Test
    void concurrentSavesKeepTheHighestVersion() throws Exception {
        // given eight writers saving versions 1..200 in different orders
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                List<Integer> versions = new ArrayList<>();
                for (int v = 1; v <= 200; v++) {
                    versions.add(v);
                }
                Collections.shuffle(versions, new java.util.Random(w));
                writers.add(threads.submit(() -> {
                    versions.forEach(v -> snapshots.save("contested", v, cart("v" + v, 1)));
                    return null;
                }));
            }

            // when they are done
            for (Future<?> writer : writers) {
                writer.get(1, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }

        // then the highest version won
        assertThat(snapshots.load("contested", Cart.class)).get()
                .satisfies(s -> assertThat(s.version()).isEqualTo(200))
                .satisfies(s -> assertThat(s.state().customer()).isEqualTo("v200"));
    }

    @Test
    void loadingWithAnotherClassReturnsEmpty() {
        // given
        snapshots.save("cart-1", 1, cart("ada", 1));

        // when, then
        assertThat(snapshots.load("cart-1", OtherState.class)).isEmpty();
        assertThat(snapshots.load("cart-1", Cart.class)).isPresent();
    }

    @Test
    void loadingAStreamWithoutSnapshotReturnsEmpty() {
        assertThat(snapshots.load("never-saved", Cart.class)).isEmpty();
    }

    @Test
    void aStoredStateThatNoLongerFitsItsClassLoadsAsEmpty() {
        // given states of the right class name whose JSON the class no longer reads
        storeRaw("array", "[1, 2, 3]");
        storeRaw("wrong-field-type", "{\"customer\": \"ada\", \"lines\": \"not a list\"}");
        storeRaw("nested-mismatch", "{\"customer\": \"ada\", \"shipTo\": [\"1 Main St\"]}");
        storeRaw("scalar", "\"just text\"");
        storeRaw("null", "null");

        // when, then the owner is to be rebuilt from its events instead: no snapshot, no exception
        for (String stream : List.of("array", "wrong-field-type", "nested-mismatch", "scalar", "null")) {
            assertThat(snapshots.load(stream, Cart.class)).as(stream).isEmpty();
        }
    }

    @Test
    void aStaleStateCanBeReplacedByANewerSnapshot() {
        // given a stored state that no longer fits
        storeRaw("cart-1", "[1]");

        // when
        boolean saved = snapshots.save("cart-1", 2, cart("ada", 1));

        // then
        assertThat(saved).isTrue();
        assertThat(snapshots.load("cart-1", Cart.class)).get().extracting(Snapshot::state).isEqualTo(cart("ada", 1));
    }

    @Test
    void deleteRemovesTheSnapshot() {
        // given
        snapshots.save("cart-1", 5, cart("ada", 1));
        snapshots.save("cart-2", 5, cart("bob", 1));

        // when
        snapshots.delete("cart-1");
        snapshots.delete("never-saved");

        // then only that stream's snapshot is gone, and a lower version may be saved again
        assertThat(snapshots.load("cart-1", Cart.class)).isEmpty();
        assertThat(snapshots.load("cart-2", Cart.class)).isPresent();
        assertThat(snapshots.save("cart-1", 1, cart("ada", 2))).isTrue();
        assertThat(snapshots.load("cart-1", Cart.class)).get().extracting(Snapshot::version).isEqualTo(1L);
    }

    @Test
    void invalidArgumentsAreRejectedWithClearMessages() {
        Cart cart = cart("ada", 1);

        assertThatThrownBy(() -> snapshots.save(" ", 1, cart))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("stream id must not be blank");
        assertThatThrownBy(() -> snapshots.save(null, 1, cart))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("stream id must not be null");
        assertThatThrownBy(() -> snapshots.save("cart-1", 0, cart))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("snapshot version must be at least 1 but was 0")
                .hasMessageContaining("'cart-1'");
        assertThatThrownBy(() -> snapshots.save("cart-1", -3, cart))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was -3");
        assertThatThrownBy(() -> snapshots.save("cart-1", 1, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("snapshot state of stream 'cart-1' must not be null");
        assertThatThrownBy(() -> snapshots.save("cart-1", 1, new Unwritable("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Unwritable.class.getName()).hasMessageContaining("boom");
        assertThatThrownBy(() -> snapshots.load("", Cart.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("stream id must not be blank");
        assertThatThrownBy(() -> snapshots.load("cart-1", null))
                .isInstanceOf(NullPointerException.class).hasMessage("state type must not be null");
        assertThatThrownBy(() -> snapshots.delete("  "))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("stream id must not be blank");

        assertThat(sql.queryLong("SELECT count(*) FROM kappa_snapshots")).isZero();
    }

    private void storeRaw(String streamId, String json) {
        // test-controlled values only: stream ids and JSON literals written in this class
        sql.execute("INSERT INTO kappa_snapshots (stream_id, stream_version, state_type, state, taken_at) VALUES ('"
                + streamId + "', 1, '" + Cart.class.getName() + "', '" + json.replace("'", "''")
                + "'::jsonb, now())");
    }

    private static Cart cart(String customer, int lineCount) {
        List<Line> lines = new ArrayList<>();
        for (int i = 1; i <= lineCount; i++) {
            lines.add(new Line("sku-" + i, i, new Money(100L * i, "EUR")));
        }
        return new Cart(customer, lines, Map.of("EUR", new Money(100L * lineCount, "EUR")),
                new Address("1 Main St", "Springfield"));
    }

    record Cart(String customer, List<Line> lines, Map<String, Money> totals, Address shipTo) {
    }

    record Line(String sku, int quantity, Money price) {
    }

    record Money(long cents, String currency) {
    }

    record Address(String street, String city) {
    }

    record OtherState(String customer) {
    }

    /** Jackson cannot write it: reading its one component fails. */
    record Unwritable(String value) {
        @Override
        public String value() {
            throw new IllegalStateException("boom");
        }
    }
}
