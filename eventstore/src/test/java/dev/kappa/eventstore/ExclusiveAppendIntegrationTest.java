package dev.kappa.eventstore;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.kappa.eventstore.TestEvents.deposit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExclusiveAppendIntegrationTest extends LogIntegrationTest {

    ExclusiveAppendIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void theDecisionSeesTheCurrentVersionAndItsEventsAreAppendedRightAfterIt() {
        store.append("s", ExpectedVersion.noStream(), List.of(deposit("s", 1), deposit("s", 2)));

        Optional<Appended> result = store.appendExclusively(ExclusiveAppend.to("s", version -> {
            assertThat(version).isEqualTo(2);
            // reads inside the decision see the stream as it is and stays
            assertThat(store.readStream("s", 1)).hasSize(2);
            return List.of(deposit("s", 3));
        }));

        assertThat(result).contains(new Appended(List.of(new AppendResult("s", 3, 3, 3)), false));
    }

    @Test
    void otherAppendsWaitUntilTheExclusiveAppendCommits() throws Exception {
        CountDownLatch deciding = new CountDownLatch(1);
        CountDownLatch otherQueued = new CountDownLatch(1);
        CompletableFuture<Optional<Appended>> exclusive = CompletableFuture.supplyAsync(() ->
                store.appendExclusively(ExclusiveAppend.to("hot", version -> {
                    deciding.countDown();
                    await(otherQueued);
                    return List.of(deposit("hot", 1));
                })));
        assertThat(deciding.await(30, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<AppendResult> other = store.appendAsync(AppendRequest.to("hot", ExpectedVersion.any(),
                List.of(deposit("hot", 2)))).thenApply(Appended::result);
        assertThatThrownBy(() -> other.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        otherQueued.countDown();

        assertThat(exclusive.get(30, TimeUnit.SECONDS)).get().extracting(r -> r.results().get(0).toOffset())
                .isEqualTo(1L);
        assertThat(other.get(30, TimeUnit.SECONDS).toOffset()).isEqualTo(2);
    }

    @Test
    void aFailingDecisionWritesNothingAndItsExceptionReachesTheCaller() {
        IllegalStateException rule = new IllegalStateException("not allowed");

        assertThatThrownBy(() -> store.appendExclusively(ExclusiveAppend.to("s", version -> {
            throw rule;
        }))).isSameAs(rule);
        assertThat(store.head()).isZero();
        assertThat(store.append("s", ExpectedVersion.noStream(), List.of(deposit("s", 1))).toOffset()).isEqualTo(1);
    }

    @Test
    void aDecisionOfNoEventsWritesNothing() {
        assertThat(store.appendExclusively(ExclusiveAppend.to("s", version -> List.of()))).isEmpty();
        assertThat(store.head()).isZero();
    }

    @Test
    void aUsedIdempotencyKeyReturnsTheEarlierResultWithoutDeciding() {
        Appended first = store.append(AppendRequest.to("s", ExpectedVersion.any(), List.of(deposit("s", 1)))
                .withIdempotencyKey("k"));
        AtomicBoolean decided = new AtomicBoolean();

        Optional<Appended> again = store.appendExclusively(ExclusiveAppend.to("s", version -> {
            decided.set(true);
            return List.of(deposit("s", 1));
        }).withIdempotencyKey("k"));

        assertThat(decided).isFalse();
        assertThat(again).contains(new Appended(first.results(), true));
        assertThat(store.appendExclusively(ExclusiveAppend.to("s", version -> List.of(deposit("s", 2)))
                .withIdempotencyKey("new-key")))
                .get().extracting(Appended::alreadyAppended).isEqualTo(false);
        assertThat(store.findAppend("new-key")).isPresent();
    }

    @Test
    void aKeyReusedWithAnotherFingerprintIsRefusedWithoutDeciding() {
        store.append(AppendRequest.to("s", ExpectedVersion.any(), List.of(deposit("s", 1)))
                .withIdempotencyKey("k", "request-A"));
        AtomicBoolean decided = new AtomicBoolean();

        assertThatThrownBy(() -> store.appendExclusively(ExclusiveAppend.to("s", version -> {
            decided.set(true);
            return List.of(deposit("s", 2));
        }).withIdempotencyKey("k", "request-B"))).isInstanceOf(IdempotencyKeyReusedException.class)
                .hasMessageContaining("'k'");

        assertThat(decided).isFalse();
        assertThat(store.head()).isEqualTo(1);
        assertThat(store.appendExclusively(ExclusiveAppend.to("s", version -> List.of(deposit("s", 2)))
                .withIdempotencyKey("k", "request-A")))
                .get().extracting(Appended::alreadyAppended).isEqualTo(true);
    }

    @Test
    void insideASpringTransactionItJoinsIt() {
        TransactionTemplate transaction = new TransactionTemplate(new JdbcTransactionManager(dataSource));

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            store.appendExclusively(ExclusiveAppend.to("s", version -> List.of(deposit("s", 1))));
            throw new IllegalStateException("roll back");
        })).hasMessage("roll back");

        assertThat(store.head()).isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
