package dev.kappa.kafka.internal.relay;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.springframework.dao.DataAccessException;

import dev.kappa.eventstore.DatabaseFailures;
import dev.kappa.eventstore.EventStoreException;
import dev.kappa.kafka.internal.record.KafkaRecords;
import dev.kappa.kafka.internal.topic.RelayTopicLayout;
import dev.kappa.kafka.relay.KafkaRelay;
import dev.kappa.kafka.relay.RelayState;
import dev.kappa.kafka.relay.RelayStatus;
import dev.kappa.kafka.relay.RelayTopicException;

/**
 * The relay: on a thread of its own, stands for election and, once elected, publishes the log page by page, each page
 * and the relay's new position in one Kafka transaction.
 *
 * <p>Exactly once rests on one rule: the relay only ever relays from a position it read from the position topic
 * after its last {@code initTransactions}. That call fences every older producer of the same transactional id and
 * completes or aborts whatever transaction one left open, so the position read next is exactly what the topics hold.
 * Any outcome the relay cannot be sure of (a Kafka error other than fencing, a commit that timed out, a database
 * failure mid-page, the election lock lost) therefore ends the producer: the relay backs off and starts again from
 * {@code initTransactions} and the position. Fenced by another relay, it stands by. A topic deleted under it stops it
 * for good ({@link RelayState#FAILED}): relaying on would leave a gap.
 *
 * <p>Pages are read from PostgreSQL a little ahead, on a second thread ({@link ReadAhead}), while Kafka sends and
 * commits; pages read ahead are dropped with the producer whenever the relay starts again.
 *
 * <p>Thread-safe: {@link #status()} and {@link #close()} may be called from any thread; the relaying itself happens on
 * the relay's thread only.
 */
public final class TransactionalRelay implements KafkaRelay {

    private static final Logger log = LoggerFactory.getLogger(KafkaRelay.class);

    /** How long {@link #start()} waits for Kafka to check the topics before it lets the relay's thread retry. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POSITION_TIMEOUT = Duration.ofSeconds(30);
    /** How long the relay waits for the next page before it looks at its lock, its topics and the head again. */
    private static final Duration PAGE_WAIT = Duration.ofMillis(100);
    /** Pages read ahead of the one being relayed: PostgreSQL reads while Kafka sends and commits. */
    private static final int READ_AHEAD_PAGES = 2;
    /** How often a relaying instance checks its election lock, its topics and the log's head. */
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final Duration TOPIC_CHECK_INTERVAL = Duration.ofSeconds(2);
    private static final Duration MAX_BACK_OFF = Duration.ofSeconds(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final RelaySettings settings;
    private final RelayTopicLayout layout;
    private final RelayElection election;
    private final PositionTopic positionTopic;
    private final RelayRate rate;
    private final ExecutorService readers;
    private final Object lifecycle = new Object();

    /** State, since when and why, replaced as one so that a status never mixes two of them. */
    private record Phase(RelayState state, Instant since, String error) {
    }

    private volatile Phase phase;
    private volatile long relayedOffset = -1;
    private volatile long logHead = -1;
    private volatile boolean closing;
    private volatile Producer<byte[], byte[]> producer;
    private volatile Admin admin;
    /** Registered at start, so that a relay built but never started leaves no meters behind. */
    private volatile RelayMetrics metrics = RelayMetrics.NONE;
    private Thread thread;
    private boolean started;

    /** Relay's thread only. */
    private Map<String, Uuid> topicIds;
    private Duration backOff;
    private boolean caughtUpLogged;

    public TransactionalRelay(RelaySettings settings) {
        this.settings = settings;
        this.layout = RelayTopicLayout.of(settings.topics());
        this.election = new RelayElection(settings.dataSource(), settings.transactionalId(), settings.elect());
        this.positionTopic = new PositionTopic(settings.topics().position(), settings.transactionalId(),
                settings.kafkaProperties());
        this.rate = new RelayRate(settings.clock());
        this.phase = new Phase(RelayState.STARTING, settings.clock().instant(), null);
        this.readers = Executors.newCachedThreadPool(runnable -> {
            Thread reader = new Thread(runnable, "kappa-relay-reader");
            reader.setDaemon(true);
            return reader;
        });
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (started) {
                throw new IllegalStateException("the relay '" + settings.transactionalId() + "' was started already");
            }
            if (closing) {
                throw new IllegalStateException("the relay '" + settings.transactionalId() + "' is closed");
            }
            started = true;
        }
        metrics = RelayMetrics.of(settings.meterRegistry(), settings.transactionalId(), this::status);
        try {
            admin = Admin.create(adminProperties());
            topicIds = layout.prepare(admin, START_TIMEOUT);
        } catch (RelayTopicException e) {
            fail(e.getMessage());
            closeAdmin();
            throw e;
        } catch (KafkaException e) {
            enter(RelayState.WAITING_FOR_KAFKA, kafkaError(e) + "; the relay keeps trying in the background");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeAdmin();
            throw new IllegalStateException("interrupted while checking the relay's topics", e);
        }
        Thread relayThread = new Thread(this::run, "kappa-relay-" + settings.transactionalId());
        relayThread.setDaemon(true);
        synchronized (lifecycle) {
            thread = relayThread;
        }
        relayThread.start();
    }

    @Override
    public RelayStatus status() {
        Phase now = phase;
        return new RelayStatus(now.state(), relayedOffset, logHead, rate.perSecond(), now.since(), now.error());
    }

    @Override
    public void close() {
        Thread relayThread;
        synchronized (lifecycle) {
            if (closing) {
                return;
            }
            closing = true;
            relayThread = thread;
        }
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        if (relayThread != null) {
            relayThread.interrupt();
            join(relayThread, deadline - TimeUnit.SECONDS.toNanos(1));
            if (relayThread.isAlive()) {
                // stuck in a Kafka call that waits for a broker that is away: a forced close fails it at once
                Producer<byte[], byte[]> stuck = producer;
                if (stuck != null) {
                    stuck.close(Duration.ZERO);
                }
                join(relayThread, deadline);
            }
            if (relayThread.isAlive()) {
                log.warn("the relay's thread did not stop within {}; it is a daemon thread and ends with the JVM",
                        CLOSE_TIMEOUT);
            }
        }
        readers.shutdownNow();
        closeAdmin();
        metrics.close();
        if (phase.state() != RelayState.FAILED) {
            enter(RelayState.STOPPED, null);
        }
    }

    private void run() {
        backOff = settings.retryInterval();
        try {
            while (!closing) {
                try {
                    cycle();
                } catch (RelayTopicException e) {
                    fail(e.getMessage());
                    return;
                } catch (Throwable failure) {
                    if (closing) {
                        return;
                    }
                    handle(failure);
                }
            }
        } finally {
            discardProducer(true);
            election.close();
        }
    }

    /** Checks the topics, stands for election and, if elected, relays until closed or until something fails. */
    private void cycle() throws Exception {
        if (admin == null) {
            admin = Admin.create(adminProperties());
        }
        if (topicIds == null) {
            topicIds = layout.prepare(admin, ADMIN_TIMEOUT);
        } else {
            layout.verifyUnchanged(admin, topicIds, ADMIN_TIMEOUT);
        }
        if (!election.tryAcquire()) {
            if (phase.state() != RelayState.STANDBY) {
                relayedOffset = -1;
                enter(RelayState.STANDBY, null);
            }
            pause(settings.retryInterval());
            return;
        }
        relay();
    }

    /** Relays as the elected relay; returns only when closing, throws on anything else. */
    private void relay() throws Exception {
        Producer<byte[], byte[]> relaying = new KafkaProducer<>(producerProperties());
        producer = relaying;
        if (closing) {
            return;
        }
        relaying.initTransactions();
        long position = positionTopic.read(POSITION_TIMEOUT);
        long head = settings.reader().head();
        if (position > head) {
            // the head never goes back: these topics were filled from another database, or this one was restored
            // from a backup or emptied; relaying on would publish new records under offsets Kafka already holds
            throw new RelayTopicException(settings.topics().position(), "the relay's position topic '"
                    + settings.topics().position() + "' says that log offset " + position + " was relayed, but the"
                    + " log's head is " + head + ": the topics hold records this log does not (another database, or"
                    + " this one restored from a backup or emptied). Relay this log to new topics (other topic names"
                    + " and transactional id), or delete the relay's topics " + layout.names() + " to relay it"
                    + " from offset 0");
        }
        logHead = head;
        relayedOffset = position;
        caughtUpLogged = false;
        log.info("relay '{}' (instance {}) relays the log from offset {} to Kafka, older relays of the same"
                + " transactional id fenced", settings.transactionalId(), settings.instanceId(), position);
        long nextCheck = System.nanoTime();
        long nextTopicCheck = System.nanoTime() + TOPIC_CHECK_INTERVAL.toNanos();
        try (ReadAhead pages = new ReadAhead(settings.reader(), settings.subscriptions(), position,
                settings.batchSize(), READ_AHEAD_PAGES,
                record -> KafkaRecords.toKafka(settings.topics().topicFor(record), record), readers)) {
            while (!closing) {
                if (System.nanoTime() >= nextCheck) {
                    election.verifyHeld();
                    logHead = Math.max(position, settings.reader().head());
                    nextCheck = System.nanoTime() + CHECK_INTERVAL.toNanos();
                }
                if (System.nanoTime() >= nextTopicCheck) {
                    layout.verifyUnchanged(admin, topicIds, ADMIN_TIMEOUT);
                    nextTopicCheck = System.nanoTime() + TOPIC_CHECK_INTERVAL.toNanos();
                }
                ReadAhead.Page page = pages.next(PAGE_WAIT);
                if (page == null) {
                    if (pages.atHead()) {
                        caughtUp(position);
                    }
                    continue;
                }
                if (phase.state() != RelayState.RELAYING) {
                    enter(RelayState.RELAYING, null);
                }
                relaying.beginTransaction();
                for (ProducerRecord<byte[], byte[]> record : page.records()) {
                    relaying.send(record);
                }
                long last = page.lastOffset();
                relaying.send(positionTopic.record(last));
                relaying.commitTransaction();
                position = last;
                relayedOffset = last;
                logHead = Math.max(logHead, last);
                rate.add(page.records().size());
                metrics.relayed(page.records().size());
                backOff = settings.retryInterval();
            }
        }
    }

    private void caughtUp(long position) {
        logHead = Math.max(logHead, position);
        if (phase.state() == RelayState.CAUGHT_UP) {
            return;
        }
        enter(RelayState.CAUGHT_UP, null);
        if (!caughtUpLogged) {
            caughtUpLogged = true;
            log.info("relay '{}' caught up with the log at offset {}", settings.transactionalId(), position);
        }
    }

    /** Decides what a failure means, says so, and waits before the next cycle, longer after each failure in a row. */
    private void handle(Throwable failure) {
        if (isFenced(failure)) {
            discardProducer(false);
            election.close();
            relayedOffset = -1;
            log.warn("relay '{}' (instance {}) was fenced: another relay with the same transactional id took over;"
                    + " this instance stands by", settings.transactionalId(), settings.instanceId());
            enter(RelayState.STANDBY, null);
            pause(settings.retryInterval());
            return;
        }
        if (failure instanceof RelayElection.LeaseLostException) {
            // no pause: if the lock is free, this instance takes it again at once; if another took it, it stands by
            discardProducer(true);
            log.warn("relay '{}' (instance {}) stops relaying: {}; it stands for election again",
                    settings.transactionalId(), settings.instanceId(), failure.getMessage());
            relayedOffset = -1;
            enter(RelayState.STARTING, null);
            return;
        }
        boolean kafka = isKafka(failure);
        discardProducer(!kafka);
        if (kafka) {
            // a new admin client at the next try: one left running would retry on its own, noisily, meanwhile
            closeAdmin();
        }
        relayedOffset = -1;
        if (kafka) {
            enter(RelayState.WAITING_FOR_KAFKA, kafkaError(failure) + "; the relay retries in " + backOff.toMillis()
                    + " ms, from the position committed to Kafka");
        } else if (isDatabase(failure)) {
            enter(RelayState.WAITING_FOR_DATABASE, "the log in PostgreSQL cannot be read: "
                    + DatabaseFailures.describe(failure) + "; check that PostgreSQL runs and accepts the relay's"
                    + " connections; the relay retries in " + backOff.toMillis()
                    + " ms, from the position committed to Kafka");
        } else {
            log.error("relay '{}' failed unexpectedly; it retries in {} ms", settings.transactionalId(),
                    backOff.toMillis(), failure);
            enter(RelayState.WAITING_FOR_KAFKA, "the relay failed unexpectedly: " + failure + "; it retries in "
                    + backOff.toMillis() + " ms, from the position committed to Kafka");
        }
        pause(backOff);
        Duration doubled = backOff.multipliedBy(2);
        backOff = doubled.compareTo(MAX_BACK_OFF) > 0 ? MAX_BACK_OFF : doubled;
    }

    private String kafkaError(Throwable failure) {
        String servers = settings.bootstrapServers();
        if (has(failure, RecordTooLargeException.class)) {
            return "Kafka refused a record as too large (" + failure.getMessage() + "): raise the topic's"
                    + " max.message.bytes and the producer's max.request.size (spring.kafka.producer.properties)";
        }
        if (has(failure, AuthenticationException.class) || has(failure, AuthorizationException.class)) {
            return "Kafka at " + servers + " refused the relay (" + failure.getMessage() + "): grant its principal"
                    + " write and transactional-id access to the relay's topics and transactional id '"
                    + settings.transactionalId() + "'";
        }
        return "Kafka at " + servers + " cannot be reached or refused the relay (" + describe(failure) + "); check"
                + " that the brokers run and that bootstrap.servers (spring.kafka.bootstrap-servers) names them";
    }

    /** The failure and its causes, each as its simple class name and first message line. */
    private static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage().lines().findFirst().orElse(""));
            }
        }
        return text.toString();
    }

    private static boolean isFenced(Throwable failure) {
        return has(failure, ProducerFencedException.class) || has(failure, InvalidProducerEpochException.class);
    }

    private static boolean isKafka(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof KafkaException && !(t instanceof InterruptException)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDatabase(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException || t instanceof EventStoreException
                    || t instanceof DataAccessException) {
                return true;
            }
        }
        return DatabaseFailures.isUnavailable(failure);
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Ends the producer. With {@code abort}, first aborts an open transaction, so that read_committed consumers need not
     * wait for its timeout (only when Kafka is thought reachable: the abort waits for it). Anything left open is
     * aborted by the next relay's {@code initTransactions}.
     */
    private void discardProducer(boolean abort) {
        // stays visible to close() until closed, so that close() can force it shut if the abort waits for Kafka
        Producer<byte[], byte[]> ending = producer;
        if (ending == null) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        if (abort) {
            try {
                ending.abortTransaction();
            } catch (RuntimeException e) {
                // no transaction open, or the producer cannot abort: initTransactions will
                log.debug("relay '{}': abort on discarding the producer failed", settings.transactionalId(), e);
            }
        }
        try {
            ending.close(Duration.ofSeconds(1));
        } catch (RuntimeException e) {
            log.debug("relay '{}': closing the producer failed", settings.transactionalId(), e);
        }
        producer = null;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void fail(String message) {
        enter(RelayState.FAILED, message);
    }

    private void enter(RelayState next, String why) {
        RelayState previous;
        synchronized (lifecycle) {
            Phase current = phase;
            previous = current.state();
            if (previous == next && Objects.equals(current.error(), why)) {
                return;
            }
            if (previous == RelayState.STOPPED || (previous == RelayState.FAILED && next != RelayState.STOPPED)) {
                return;
            }
            phase = new Phase(next, previous == next ? current.since() : settings.clock().instant(), why);
        }
        if (previous == next) {
            log.debug("relay '{}' still {}: {}", settings.transactionalId(), next, why);
            return;
        }
        Level level = switch (next) {
            case WAITING_FOR_KAFKA, WAITING_FOR_DATABASE -> Level.WARN;
            case FAILED -> Level.ERROR;
            // a relay under live load moves between these with every page: only the first catch-up is worth a line
            case RELAYING, CAUGHT_UP -> previous == RelayState.RELAYING || previous == RelayState.CAUGHT_UP
                    ? Level.DEBUG : Level.INFO;
            default -> Level.INFO;
        };
        log.atLevel(level).log("relay '{}' (instance {}): {} -> {}{}", settings.transactionalId(),
                settings.instanceId(), previous, next, why == null ? "" : ": " + why);
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            if (!closing) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void join(Thread thread, long deadlineNanos) {
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeAdmin() {
        Admin closing = admin;
        admin = null;
        if (closing != null) {
            closing.close(Duration.ofSeconds(1));
        }
    }

    private Map<String, Object> adminProperties() {
        Map<String, Object> properties = sharedKafkaProperties();
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "kappa-relay-" + settings.instanceId() + "-admin");
        properties.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        properties.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        return properties;
    }

    private Map<String, Object> producerProperties() {
        Map<String, Object> properties = sharedKafkaProperties();
        // throughput defaults; an application may tune them through its Kafka properties
        properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        properties.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        properties.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        // what exactly once rests on: not the application's to change
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "kappa-relay-" + settings.instanceId());
        return properties;
    }

    /** The application's Kafka properties without those the relay's clients set themselves. */
    private Map<String, Object> sharedKafkaProperties() {
        Map<String, Object> properties = new HashMap<>(settings.kafkaProperties());
        properties.keySet().removeIf(name -> name.endsWith(".serializer") || name.endsWith(".deserializer")
                || name.startsWith("group.") || name.equals("transactional.id"));
        return properties;
    }
}
