package dev.kappa.test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import javax.sql.DataSource;

import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.framework.CommandGateway;
import dev.kappa.framework.CommandMessage;
import dev.kappa.framework.CommandResult;
import dev.kappa.test.internal.RecordingGateway;

/**
 * A given-then test of a process (a reactor): a projection whose handlers send commands through a
 * {@link CommandGateway}. It runs like a {@link ProjectionFixture} — given events are appended to a log of its own
 * and applied by the real projection runtime — but the gateway the process is made with handles nothing: it records
 * the commands sent, and answers each with what the test configured, so the test checks what the process decided.
 *
 * <pre>{@code
 * try (ProcessFixture<TransferProcess> fixture = ProcessFixture.of(TransferProcess::new)) {
 *     fixture.refuse(Debit.class, debit -> new InsufficientFunds(debit.accountId()));
 *     fixture.given(new TransferRequested("t-1", "a", "b", 100))
 *            .expectCommands(new Debit("a", "t-1", 100), new FailTransfer("t-1", "insufficient funds"));
 * }
 * }</pre>
 *
 * <p>A command counts as sent when the batch that sent it commits, as it would have appended only then (a batch
 * rolled back and tried again sends its commands again, and they count once). A command without a configured answer
 * gets a result that appended nothing; a refused one counts as sent too.
 *
 * <p>This class is not thread-safe: use one fixture per test, and close it.
 *
 * @param <P> the process class
 */
public final class ProcessFixture<P> implements AutoCloseable {

    private final RecordingGateway gateway = new RecordingGateway();
    private final ProjectionFixture<P> projection;

    private ProcessFixture(Function<? super CommandGateway, ? extends P> process) {
        this.projection = ProjectionFixture.of(dataSource -> process.apply(gateway));
    }

    /**
     * A fixture for a process made from the gateway it sends its commands to: an object of a class annotated
     * {@link dev.kappa.projections.Projection}.
     */
    public static <P> ProcessFixture<P> of(Function<? super CommandGateway, ? extends P> process) {
        Objects.requireNonNull(process, "process factory must not be null");
        return new ProcessFixture<>(process);
    }

    /** Runs on this database instead of a fresh one of its own, as {@link ProjectionFixture#on(DataSource)}. */
    public ProcessFixture<P> on(DataSource dataSource) {
        projection.on(dataSource);
        return this;
    }

    /** Uses this codec, as {@link ProjectionFixture#codec(EventCodec)}. */
    public ProcessFixture<P> codec(EventCodec codec) {
        projection.codec(codec);
        return this;
    }

    /**
     * Answers the commands of exactly this class with the result {@code answer} returns, or the exception it throws
     * (thrown to the process, as the gateway throws an aggregate's refusal). Replaces an earlier answer for the class;
     * may be changed between two {@code given}s.
     */
    public <C> ProcessFixture<P> answer(Class<C> commandType, Function<? super C, CommandResult> answer) {
        gateway.answer(commandType, answer);
        return this;
    }

    /** Refuses the commands of exactly this class with the exception {@code refusal} makes for each. */
    public <C> ProcessFixture<P> refuse(Class<C> commandType,
                                        Function<? super C, ? extends RuntimeException> refusal) {
        Objects.requireNonNull(refusal, "refusal must not be null");
        gateway.answer(commandType, command -> {
            throw Objects.requireNonNull(refusal.apply(command), "the refusal made no exception");
        });
        return this;
    }

    /**
     * Appends events to the stream {@value ProjectionFixture#DEFAULT_STREAM}, waits until the process has handled
     * them, and returns the commands it sent meanwhile.
     *
     * @param events event records, or {@link NewEvent}s
     * @throws AssertionError if the process stopped at one of them (a handler threw), or did not handle them in time
     */
    public SentCommands given(Object... events) {
        Objects.requireNonNull(events, "given events must not be null");
        return givenStream(ProjectionFixture.DEFAULT_STREAM, events);
    }

    /** {@link #given(Object...)} into a stream of its own. */
    public SentCommands givenStream(String streamId, Object... events) {
        Objects.requireNonNull(streamId, "stream id must not be null");
        Objects.requireNonNull(events, "given events must not be null");
        int before = gateway.sent().size();
        projection.givenStream(streamId, events);
        gateway.awaitCommitted(Duration.ofSeconds(ProjectionFixture.PATIENCE_SECONDS));
        List<CommandMessage<?>> sent = gateway.sent();
        return new SentCommands(describe(events), sent.subList(before, sent.size()));
    }

    /** Every command the process has sent so far, in order. */
    public List<Object> commands() {
        return gateway.sent().stream().<Object>map(CommandMessage::command).toList();
    }

    /** {@link #commands()} with what travelled along: idempotency key, correlation and causation ids, metadata. */
    public List<CommandMessage<?>> messages() {
        return gateway.sent();
    }

    /** The process object the runtime runs. */
    public P process() {
        return projection.projection();
    }

    /** Stops the runtime, and drops the database if it is the fixture's own. Idempotent. */
    @Override
    public void close() {
        projection.close();
    }

    private static String describe(Object[] events) {
        return Arrays.stream(events)
                .map(event -> String.valueOf(event instanceof NewEvent newEvent ? newEvent.payload() : event))
                .toList()
                .toString();
    }
}
