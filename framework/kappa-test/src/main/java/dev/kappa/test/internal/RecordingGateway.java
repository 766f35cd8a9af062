package dev.kappa.test.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.kappa.framework.CommandGateway;
import dev.kappa.framework.CommandMessage;
import dev.kappa.framework.CommandResult;
import dev.kappa.framework.GatewayStatistics;

/**
 * A command gateway that handles nothing: it records the commands sent to it and answers each with what the test
 * configured for its class, or with a result that appended nothing.
 *
 * <p>A command sent inside a Spring-managed transaction (a database projection's batch) counts as sent only once that
 * transaction commits, as it would have appended only then: the commands of a batch that is rolled back and tried
 * again are not counted twice. A command sent outside a transaction (an in-memory projection) counts at once.
 *
 * <p>Thread-safe: the projection's workers send, the test reads and configures answers.
 */
public final class RecordingGateway implements CommandGateway {

    private final Map<Class<?>, Function<Object, CommandResult>> answers = new ConcurrentHashMap<>();
    private final List<CommandMessage<?>> sent = new ArrayList<>();
    /** Transactions with commands that are committing: between their before-commit and their completion. */
    private int committing;
    private long succeeded;
    private long failed;

    /**
     * Answers the commands of exactly this class with what {@code answer} returns, or throws: the gateway throws it
     * to the sender, as if the aggregate refused the command. Replaces an earlier answer for the class.
     */
    public <C> void answer(Class<C> commandType, Function<? super C, CommandResult> answer) {
        Objects.requireNonNull(commandType, "command type must not be null");
        Objects.requireNonNull(answer, "answer must not be null");
        answers.put(commandType, command -> answer.apply(commandType.cast(command)));
    }

    /** Every command counted as sent so far, in the order sent. */
    public synchronized List<CommandMessage<?>> sent() {
        return List.copyOf(sent);
    }

    /**
     * Waits until no transaction that sent commands is between its commit and the moment its commands are counted:
     * after a projection's checkpoint has passed an event, the commands sent for it are then all in {@link #sent()}.
     *
     * @throws AssertionError if that takes longer than {@code timeout}
     */
    public synchronized void awaitCommitted(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (committing > 0) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new AssertionError("the commands of " + committing + " committing batch(es) were not"
                            + " counted within " + timeout.toSeconds() + " s");
                }
                wait(Math.max(1, remaining / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for committing batches", e);
        }
    }

    @Override
    public CompletableFuture<CommandResult> send(Object command) {
        return send(message(command));
    }

    @Override
    public CompletableFuture<CommandResult> send(CommandMessage<?> message) {
        try {
            return CompletableFuture.completedFuture(sendAndWait(message));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CommandResult sendAndWait(Object command) {
        return sendAndWait(message(command));
    }

    @Override
    public CommandResult sendAndWait(CommandMessage<?> message) {
        Objects.requireNonNull(message, "command message must not be null");
        record(message);
        Function<Object, CommandResult> answer = answers.get(message.command().getClass());
        try {
            CommandResult result = answer != null ? answer.apply(message.command()) : nothingAppended();
            count(true);
            return Objects.requireNonNull(result, () -> "the answer to " + message.command().getClass()
                    .getSimpleName() + " returned null: return a CommandResult, or throw to refuse the command");
        } catch (RuntimeException e) {
            count(false);
            throw e;
        }
    }

    @Override
    public synchronized GatewayStatistics statistics() {
        return new GatewayStatistics(succeeded, failed, 0, 0, 0, 0);
    }

    /** Nothing to stop: the gateway has no threads. */
    @Override
    public void close() {
    }

    private static CommandMessage<?> message(Object command) {
        Objects.requireNonNull(command, "command must not be null");
        return command instanceof CommandMessage<?> message ? message : CommandMessage.of(command);
    }

    private static CommandResult nothingAppended() {
        return new CommandResult("", "", 0, 0, 0, 0, false);
    }

    private void record(CommandMessage<?> message) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            synchronized (this) {
                sent.add(message);
            }
            return;
        }
        for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
            if (synchronization instanceof PendingCommands pending && pending.gateway() == this) {
                pending.add(message);
                return;
            }
        }
        PendingCommands pending = new PendingCommands(this);
        pending.add(message);
        TransactionSynchronizationManager.registerSynchronization(pending);
    }

    private synchronized void count(boolean success) {
        if (success) {
            succeeded++;
        } else {
            failed++;
        }
    }

    private synchronized void committing() {
        committing++;
    }

    private synchronized void completed(List<CommandMessage<?>> commands, boolean committed, boolean wasCommitting) {
        if (committed) {
            sent.addAll(commands);
        }
        if (wasCommitting) {
            committing--;
        }
        notifyAll();
    }

    /** The commands one transaction sent, counted when it commits. Confined to the transaction's thread. */
    private static final class PendingCommands implements TransactionSynchronization {

        private final RecordingGateway gateway;
        private final List<CommandMessage<?>> commands = new ArrayList<>();
        private boolean committing;

        PendingCommands(RecordingGateway gateway) {
            this.gateway = gateway;
        }

        RecordingGateway gateway() {
            return gateway;
        }

        void add(CommandMessage<?> message) {
            commands.add(message);
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            committing = true;
            gateway.committing();
        }

        @Override
        public void afterCompletion(int status) {
            gateway.completed(commands, status == STATUS_COMMITTED, committing);
        }
    }
}
