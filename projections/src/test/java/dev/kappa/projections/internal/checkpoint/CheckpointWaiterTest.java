package dev.kappa.projections.internal.checkpoint;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.kappa.projections.CheckpointWait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CheckpointWaiterTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final CheckpointBoard board = new CheckpointBoard();
    private final CheckpointWaiter waiter = new CheckpointWaiter(board);

    @Test
    void aWaitIsWokenByTheCommitThatReachesItsOffset() throws Exception {
        // given a projection at checkpoint 0 whose commits all reach the board
        Source source = new Source(new long[] {0}, Long.MAX_VALUE, true, false);

        // when a worker commits offset 10 while a reader waits for it
        CompletableFuture<CheckpointWait> wait = CompletableFuture.supplyAsync(() -> awaitCheckpoint(source, 10,
                PATIENCE));
        await().atMost(PATIENCE).until(() -> board.known("p") != null);
        board.committed("p", 1, 0, 10);

        // then the reader sees it reached, long before its timeout
        CheckpointWait result = wait.get(PATIENCE.toSeconds() / 2, TimeUnit.SECONDS);
        assertThat(result.reached()).isTrue();
        assertThat(result.checkpoint()).isEqualTo(10);
    }

    @Test
    void aProjectionStoppedBelowTheOffsetIsAnsweredAtOnce() {
        // given a projection stopped at a failing event at offset 5
        Source source = new Source(new long[] {4}, 5, true, false);

        // when a reader waits for offset 8
        CompletableFuture<CheckpointWait> wait = CompletableFuture.supplyAsync(() -> awaitCheckpoint(source, 8,
                PATIENCE));

        // then it is told at once that the checkpoint is 4: waiting cannot help until someone restarts it
        assertThat(wait).succeedsWithin(PATIENCE.dividedBy(2))
                .satisfies(result -> assertThat(result.reached()).isFalse())
                .satisfies(result -> assertThat(result.checkpoint()).isEqualTo(4));
    }

    @Test
    void whereTheSourceHasTheLastWordReachedIsConfirmedByARead() {
        // given a board that says a database projection reached offset 10, and a database that says 3
        board.load("p", 1, new long[] {10}, Long.MAX_VALUE, board.version());
        Source source = new Source(new long[] {3}, Long.MAX_VALUE, true, true);

        // when a reader waits for offset 10
        CheckpointWait result = awaitCheckpoint(source, 10, Duration.ofMillis(50));

        // then the database's answer counts
        assertThat(result.reached()).isFalse();
        assertThat(result.checkpoint()).isEqualTo(3);
        assertThat(source.reads.get()).isPositive();
    }

    @Test
    void whereSegmentsHavePositionsOfTheirOwnEachMustReachItsOwn() throws Exception {
        // given a projection of three partitions, at positions 5, 9 and 2, which must reach 5, 12 and 2 to have
        // applied log offset 40 (its source says)
        Source source = new Source(new long[] {5, 9, 2}, Long.MAX_VALUE, true, false);
        long[] positions = {5, 12, 2};

        // when a reader waits for offset 40, then partition 1 commits position 11, then 12
        CompletableFuture<CheckpointWait> wait = CompletableFuture.supplyAsync(() -> {
            try {
                return waiter.awaitCheckpoint("p", 40, positions, PATIENCE, source);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(PATIENCE).until(() -> board.known("p") != null);
        board.committed("p", 1, 1, 11);
        assertThat(wait).isNotDone();
        board.committed("p", 1, 1, 12);

        // then it is reached once every partition is at its position, and its checkpoint is the offset waited for
        CheckpointWait result = wait.get(PATIENCE.toSeconds() / 2, TimeUnit.SECONDS);
        assertThat(result.reached()).isTrue();
        assertThat(result.checkpoint()).isEqualTo(40);
        // and a wait that times out short of them answers below the offset, whatever the positions' values
        CheckpointWait behind = waiter.awaitCheckpoint("p", 40, new long[] {5, 13, 2}, Duration.ofMillis(50), source);
        assertThat(behind.reached()).isFalse();
        assertThat(behind.checkpoint()).isEqualTo(39);
    }

    private CheckpointWait awaitCheckpoint(CheckpointSource source, long offset, Duration timeout) {
        try {
            return waiter.awaitCheckpoint("p", offset, timeout, source);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Source implements CheckpointSource {
        private final long[] checkpoints;
        private final long failedAt;
        private final boolean reported;
        private final boolean confirms;
        private final AtomicInteger reads = new AtomicInteger();

        Source(long[] checkpoints, long failedAt, boolean reported, boolean confirms) {
            this.checkpoints = checkpoints;
            this.failedAt = failedAt;
            this.reported = reported;
            this.confirms = confirms;
        }

        @Override
        public Checkpoints read() {
            reads.incrementAndGet();
            return new Checkpoints(1, checkpoints.clone(), failedAt);
        }

        @Override
        public boolean commitsReported() {
            return reported;
        }

        @Override
        public boolean confirmsReached() {
            return confirms;
        }
    }
}
