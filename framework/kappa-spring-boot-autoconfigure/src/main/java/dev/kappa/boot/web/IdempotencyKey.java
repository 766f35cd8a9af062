package dev.kappa.boot.web;

import dev.kappa.framework.CommandMessage;

/**
 * The {@value #HEADER} header of a write, as a handler parameter: declare one and the starter's web support resolves
 * it. With a key, the write is applied at most once: a retry with the same key and the same request answers what the
 * first did and changes nothing, and the same key with another request is refused with a 422 problem of type
 * {@code idempotency-key-reused}. Without one, every request is a new write.
 *
 * <p>The client's key is scoped to the request's method and path, so one key cannot answer another operation or
 * another resource. A key is 1 to {@value #MAX_LENGTH} visible ASCII characters, optionally in double quotes as the
 * IETF draft writes it; any other is a 400 problem.
 *
 * <pre>{@code
 * @PostMapping("/accounts/{id}/deposits")
 * long deposit(@PathVariable String id, @RequestBody Amount amount, IdempotencyKey key) {
 *     return commands.sendAndWait(key.message(new Deposit(id, amount.cents()))).lastOffset();
 * }
 * }</pre>
 */
public interface IdempotencyKey {

    /** The request header that carries the client's key. */
    String HEADER = "Idempotency-Key";

    /** The longest key a client may send, in characters. */
    int MAX_LENGTH = 100;

    /** Whether the client sent a key. */
    boolean isPresent();

    /** The key as the client sent it (without quotes), or {@code null} without one. */
    String value();

    /**
     * The key a write is recorded under: the client's, scoped to this request's method and path; {@code null}
     * without one. Pass it to {@code AppendRequest.withIdempotencyKey} when you append without the command gateway.
     */
    String scoped();

    /**
     * A fingerprint of the request: a hash of its method, path and body (JSON compared by content, not by layout).
     * Two requests with one key but different fingerprints are different requests; {@code null} without a key.
     */
    String fingerprint();

    /**
     * The command as a message applied at most once under {@link #scoped()}, checked against
     * {@link #fingerprint()}; a plain message without a key.
     */
    <C> CommandMessage<C> message(C command);

    /**
     * An id for the resource a creating request makes: derived from the scoped key, so that a retry names the same
     * resource, or random without a key.
     */
    String newId();
}
