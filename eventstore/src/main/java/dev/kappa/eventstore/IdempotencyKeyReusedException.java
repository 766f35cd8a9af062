package dev.kappa.eventstore;

/**
 * An idempotency key came back with a different request: the key was first used for a request with one fingerprint
 * and is now given with another. Nothing was appended. A retry of the same request keeps its key; a new request needs
 * a new key.
 *
 * <p>Not an {@link EventStoreException}: the store is fine, the caller reused a key. Over HTTP this is the IETF
 * idempotency-key draft's 422.
 */
public class IdempotencyKeyReusedException extends RuntimeException {

    private final String key;

    public IdempotencyKeyReusedException(String key) {
        super("idempotency key '" + key + "' was already used for a different request; nothing was appended: use a"
                + " new key for a new request (only a retry of the same request may repeat a key)");
        this.key = key;
    }

    /** The idempotency key that was reused. */
    public String key() {
        return key;
    }
}
