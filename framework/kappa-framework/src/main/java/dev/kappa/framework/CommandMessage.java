package dev.kappa.framework;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import dev.kappa.eventstore.EventMetadata;
import dev.kappa.eventstore.StreamAppend;

/**
 * A command with what travels along with it: its id, the conversation it belongs to, what caused it, an idempotency
 * key (with the fingerprint of the request it was given for) and free metadata. The events a command produces carry
 * its correlation id, its id as their causation id and its metadata.
 *
 * <pre>{@code
 * gateway.sendAndWait(CommandMessage.of(new Withdraw("42", 500)).withIdempotencyKey(requestKey, requestDigest));
 * }</pre>
 *
 * @param command            the command itself
 * @param commandId          a unique id; random by default
 * @param correlationId      the conversation's id: given by whoever started it, or else this command's id
 * @param causationId        the id of the event or command that caused this one, or {@code null}
 * @param idempotencyKey     a key under which the command is applied at most once, or {@code null}
 * @param requestFingerprint what identifies the request the key was given for (a digest of it, say): the key then
 *                           answers only that request, and another one with the key is refused; {@code null} for no
 *                           check (always without a key)
 * @param metadata           free entries, copied to the events; never {@code null}
 * @param <C>                the command's type
 */
public record CommandMessage<C>(C command, UUID commandId, String correlationId, String causationId,
                                String idempotencyKey, String requestFingerprint, Map<String, String> metadata) {

    public CommandMessage {
        Objects.requireNonNull(command, "command must not be null");
        Objects.requireNonNull(commandId, "command id must not be null");
        if (correlationId == null) {
            correlationId = commandId.toString();
        }
        StreamAppend.requireValidIdempotency(idempotencyKey, requestFingerprint);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** A message without a request fingerprint. */
    public CommandMessage(C command, UUID commandId, String correlationId, String causationId, String idempotencyKey,
                          Map<String, String> metadata) {
        this(command, commandId, correlationId, causationId, idempotencyKey, null, metadata);
    }

    /** A message for a command that starts a new conversation. */
    public static <C> CommandMessage<C> of(C command) {
        return new CommandMessage<>(command, UUID.randomUUID(), null, null, null, null, Map.of());
    }

    /**
     * A message for a command sent in reaction to an event: it continues the event's conversation (correlation id)
     * and names the event as its cause.
     */
    public static <C> CommandMessage<C> causedBy(C command, EventMetadata cause) {
        Objects.requireNonNull(cause, "the causing event's metadata must not be null");
        UUID commandId = UUID.randomUUID();
        String correlation = cause.correlationId() != null ? cause.correlationId() : cause.eventId().toString();
        return new CommandMessage<>(command, commandId, correlation, cause.eventId().toString(), null, null, Map.of());
    }

    /**
     * This message, applied at most once under {@code key}: a retry with the same key returns the first result,
     * whatever command it carries (no fingerprint, so no check).
     */
    public CommandMessage<C> withIdempotencyKey(String key) {
        return new CommandMessage<>(command, commandId, correlationId, causationId,
                StreamAppend.requireValidIdempotencyKey(key), null, metadata);
    }

    /**
     * This message, applied at most once under {@code key} for the request {@code requestFingerprint} identifies: a
     * retry with the same key and fingerprint returns the first result; the key with another fingerprint is refused
     * with {@link dev.kappa.eventstore.IdempotencyKeyReusedException}, and nothing is applied. A key first used
     * without a fingerprint is not checked.
     *
     * @param requestFingerprint a digest of the request, say; not blank, at most 200 characters; {@code null} for no
     *                           check, as {@link #withIdempotencyKey(String)}
     */
    public CommandMessage<C> withIdempotencyKey(String key, String requestFingerprint) {
        return new CommandMessage<>(command, commandId, correlationId, causationId,
                StreamAppend.requireValidIdempotencyKey(key), requestFingerprint, metadata);
    }

    /** This message in the conversation {@code id}. */
    public CommandMessage<C> withCorrelationId(String id) {
        Objects.requireNonNull(id, "correlation id must not be null");
        return new CommandMessage<>(command, commandId, id, causationId, idempotencyKey, requestFingerprint, metadata);
    }

    /** This message, caused by the event or command {@code id}. */
    public CommandMessage<C> withCausationId(String id) {
        return new CommandMessage<>(command, commandId, correlationId, id, idempotencyKey, requestFingerprint,
                metadata);
    }

    /** This message with one more metadata entry. */
    public CommandMessage<C> withMetadata(String key, String value) {
        Objects.requireNonNull(key, "metadata key must not be null");
        Objects.requireNonNull(value, () -> "value of metadata entry '" + key + "' must not be null");
        Map<String, String> entries = new LinkedHashMap<>(metadata);
        entries.put(key, value);
        return new CommandMessage<>(command, commandId, correlationId, causationId, idempotencyKey, requestFingerprint,
                entries);
    }
}
