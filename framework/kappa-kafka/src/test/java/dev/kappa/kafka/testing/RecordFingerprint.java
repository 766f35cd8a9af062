package dev.kappa.kafka.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;

import dev.kappa.eventstore.LogRecord;

/**
 * A 64-bit digest (the first 8 bytes of SHA-256) of what {@link RelayedLog} compares of one relayed record: its topic,
 * its key's bytes, whether its value is null, and every field of the log record it stands for (offset, stream,
 * version, type, payload, event id, correlation and causation ids, recorded time, metadata entries, compaction key,
 * tombstone). Equal log records (by {@link LogRecord#equals}) on the same topic and key digest equally; records that
 * differ in any of these digest equally with a chance of 2^-64. Each field is written with its length and whether it
 * is null, so that no two different records give the same bytes.
 *
 * <p>Not thread-safe: it reuses its buffer and digest.
 */
final class RecordFingerprint {

    private final MessageDigest sha256;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
    private final DataOutputStream out = new DataOutputStream(buffer);

    RecordFingerprint() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The fingerprint of {@code record} as published on {@code topic} under {@code key}, its value null or not. */
    long of(String topic, byte[] key, boolean valueNull, LogRecord record) {
        buffer.reset();
        try {
            text(topic);
            bytes(key);
            out.writeBoolean(valueNull);
            out.writeLong(record.offset());
            text(record.streamId());
            out.writeLong(record.streamVersion());
            text(record.type());
            text(record.payload());
            out.writeLong(record.metadata().eventId().getMostSignificantBits());
            out.writeLong(record.metadata().eventId().getLeastSignificantBits());
            text(record.metadata().correlationId());
            text(record.metadata().causationId());
            out.writeLong(record.metadata().recordedAt().getEpochSecond());
            out.writeInt(record.metadata().recordedAt().getNano());
            // a map's equality ignores its order, so the entries go in sorted
            Map<String, String> entries = new TreeMap<>(record.metadata().entries());
            out.writeInt(entries.size());
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                text(entry.getKey());
                text(entry.getValue());
            }
            text(record.compactionKey());
            out.writeBoolean(record.tombstone());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
        sha256.reset();
        sha256.update(buffer.toByteArray());
        return ByteBuffer.wrap(sha256.digest()).getLong();
    }

    private void text(String text) throws IOException {
        bytes(text == null ? null : text.getBytes(StandardCharsets.UTF_8));
    }

    private void bytes(byte[] bytes) throws IOException {
        if (bytes == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }
}
