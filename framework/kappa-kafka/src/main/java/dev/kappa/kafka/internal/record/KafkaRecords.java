package dev.kappa.kafka.internal.record;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import dev.kappa.eventstore.EventMetadata;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.kafka.KappaHeaders;

/**
 * Turns a log record into the Kafka record the relay publishes, and a consumed Kafka record back into the log record
 * it came from. Keys and values are UTF-8 bytes; a tombstone's value is {@code null}, as Kafka's compaction expects.
 *
 * <p>Stateless and thread-safe.
 */
public final class KafkaRecords {

    private KafkaRecords() {
    }

    /**
     * The Kafka record for {@code record} on {@code topic}: keyed by the compaction key when the record has one, else
     * by the stream id.
     */
    public static ProducerRecord<byte[], byte[]> toKafka(String topic, LogRecord record) {
        String key = record.compactionKey() != null ? record.compactionKey() : record.streamId();
        byte[] value = record.tombstone() ? null : bytes(record.payload());
        return new ProducerRecord<>(topic, null, bytes(key), value, headers(record));
    }

    /** The headers the relay puts on {@code record}: see {@link KappaHeaders}. */
    public static Headers headers(LogRecord record) {
        RecordHeaders headers = new RecordHeaders();
        EventMetadata metadata = record.metadata();
        headers.add(KappaHeaders.OFFSET, bytes(Long.toString(record.offset())));
        headers.add(KappaHeaders.STREAM, bytes(record.streamId()));
        headers.add(KappaHeaders.VERSION, bytes(Long.toString(record.streamVersion())));
        headers.add(KappaHeaders.TYPE, bytes(record.type()));
        headers.add(KappaHeaders.EVENT_ID, bytes(metadata.eventId().toString()));
        if (metadata.correlationId() != null) {
            headers.add(KappaHeaders.CORRELATION_ID, bytes(metadata.correlationId()));
        }
        if (metadata.causationId() != null) {
            headers.add(KappaHeaders.CAUSATION_ID, bytes(metadata.causationId()));
        }
        headers.add(KappaHeaders.TIME, bytes(metadata.recordedAt().toString()));
        if (record.compactionKey() != null) {
            headers.add(KappaHeaders.COMPACTION_KEY, bytes(record.compactionKey()));
        }
        if (record.tombstone()) {
            headers.add(KappaHeaders.TOMBSTONE, bytes(record.payload()));
        }
        metadata.entries().forEach((name, value) -> headers.add(KappaHeaders.ENTRY_PREFIX + name, bytes(value)));
        return headers;
    }

    /**
     * The log record a relayed Kafka record came from.
     *
     * @throws NotARelayedRecordException if the record lacks a header the relay always writes, or holds a value that
     *                                    is not what the relay writes: it was not published by Kappa's relay
     */
    public static LogRecord fromKafka(ConsumerRecord<byte[], byte[]> record) {
        Headers headers = record.headers();
        try {
            long offset = Long.parseLong(required(record, headers, KappaHeaders.OFFSET));
            String stream = required(record, headers, KappaHeaders.STREAM);
            long version = Long.parseLong(required(record, headers, KappaHeaders.VERSION));
            String type = required(record, headers, KappaHeaders.TYPE);
            UUID eventId = UUID.fromString(required(record, headers, KappaHeaders.EVENT_ID));
            Instant time = RecordedTimes.parse(required(record, headers, KappaHeaders.TIME));
            Map<String, String> entries = new HashMap<>();
            for (Header header : headers) {
                if (header.key().startsWith(KappaHeaders.ENTRY_PREFIX)) {
                    entries.put(header.key().substring(KappaHeaders.ENTRY_PREFIX.length()), text(header.value()));
                }
            }
            EventMetadata metadata = new EventMetadata(eventId, optional(headers, KappaHeaders.CORRELATION_ID),
                    optional(headers, KappaHeaders.CAUSATION_ID), time, entries);
            String tombstonePayload = optional(headers, KappaHeaders.TOMBSTONE);
            boolean tombstone = tombstonePayload != null;
            String payload = tombstone ? tombstonePayload : record.value() == null ? null : text(record.value());
            if (payload == null) {
                throw new NotARelayedRecordException(record, "its value is null but it has no " + KappaHeaders.TOMBSTONE
                        + " header");
            }
            return new LogRecord(offset, stream, version, type, payload, metadata,
                    optional(headers, KappaHeaders.COMPACTION_KEY), tombstone);
        } catch (NotARelayedRecordException e) {
            throw e;
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new NotARelayedRecordException(record, "a header holds a value the relay never writes: "
                    + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new NotARelayedRecordException(record, e.getMessage());
        }
    }

    /** The log offset a relayed record carries, without decoding the rest. */
    public static long logOffset(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader(KappaHeaders.OFFSET);
        if (header == null) {
            throw new NotARelayedRecordException(record, "it has no " + KappaHeaders.OFFSET + " header");
        }
        try {
            return Long.parseLong(text(header.value()));
        } catch (NumberFormatException e) {
            throw new NotARelayedRecordException(record, KappaHeaders.OFFSET + " is not a number");
        }
    }

    private static String required(ConsumerRecord<?, ?> record, Headers headers, String name) {
        String value = optional(headers, name);
        if (value == null) {
            throw new NotARelayedRecordException(record, "it has no " + name + " header");
        }
        return value;
    }

    private static String optional(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : text(header.value());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
