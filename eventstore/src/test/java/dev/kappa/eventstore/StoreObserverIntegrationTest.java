package dev.kappa.eventstore;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import static dev.kappa.eventstore.TestEvents.deposit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreObserverIntegrationTest extends LogIntegrationTest {

    private final List<String> heard = new CopyOnWriteArrayList<>();

    StoreObserverIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    void configure(EventStoreBuilder builder) {
        builder.observer(new StoreObserver() {
            @Override
            public void appendEnded(int events, long durationNanos, Throwable failure) {
                assertThat(durationNanos).isPositive();
                heard.add("append " + events + (failure == null ? "" : " failed: " + failure.getClass().getSimpleName()));
            }

            @Override
            public void batchCommitted(int appends, int events, long durationNanos) {
                heard.add("batch " + appends + "/" + events);
            }
        });
    }

    @Test
    void theObserverHearsEveryAppendAndEveryCommittedBatch() throws Exception {
        store.append("a", ExpectedVersion.noStream(), List.of(deposit("a", 1), deposit("a", 2)));
        assertThatThrownBy(() -> store.append("a", ExpectedVersion.noStream(), List.of(deposit("a", 3))))
                .isInstanceOf(ConcurrencyException.class);
        store.appendAsync(AppendRequest.to("b", ExpectedVersion.any(), List.of(deposit("b", 1))))
                .thenApply(Appended::result).get();

        assertThat(heard).containsExactly("batch 1/2", "append 2", "batch 1/0", "append 1 failed: ConcurrencyException",
                "batch 1/1", "append 1");
    }
}
