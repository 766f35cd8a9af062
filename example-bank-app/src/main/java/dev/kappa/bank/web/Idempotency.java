package dev.kappa.bank.web;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import dev.kappa.framework.CommandMessage;

/**
 * The {@code Idempotency-Key} header, honoured on every write: a retry with the same key returns the first answer and
 * changes nothing. Keys are scoped by operation and resource, so one client key cannot answer another operation.
 */
final class Idempotency {

    static final String HEADER = "Idempotency-Key";
    private static final int MAX_LENGTH = 100;

    private Idempotency() {
    }

    /** The command, applied at most once under the client's key if it sent one. */
    static <C> CommandMessage<C> message(C command, String scope, String clientKey) {
        CommandMessage<C> message = CommandMessage.of(command);
        return clientKey == null ? message : message.withIdempotencyKey(key(scope, clientKey));
    }

    /** The scoped key, or {@code null} without a client key. */
    static String key(String scope, String clientKey) {
        if (clientKey == null) {
            return null;
        }
        if (clientKey.isBlank() || clientKey.length() > MAX_LENGTH || clientKey.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequest(HEADER + " must be 1 to " + MAX_LENGTH + " visible characters");
        }
        return scope + ":" + clientKey;
    }

    /**
     * An id for a new resource: the one the client chose, else one derived from its key (so that a retry names the
     * same resource), else a random one.
     */
    static String newId(String chosen, String scope, String clientKey) {
        if (chosen != null && !chosen.isBlank()) {
            return chosen;
        }
        if (clientKey != null) {
            return UUID.nameUUIDFromBytes(key(scope, clientKey).getBytes(StandardCharsets.UTF_8)).toString();
        }
        return UUID.randomUUID().toString();
    }
}
