package dev.kappa.boot.autoconfigure.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the web support for Spring MVC applications; each part can be turned off on its own.
 *
 * @param problems        Kappa's exceptions, bad requests and an unreachable database as RFC 9457 problem details.
 * @param readYourWrites  Handlers marked {@code @ReadYourWrites} wait for the offset a request carries.
 * @param idempotency     {@code IdempotencyKey} handler parameters.
 * @param strictJson      Strict reading of JSON request bodies.
 * @param bodyLimit       The largest request body accepted.
 */
@ConfigurationProperties("kappa.web")
public record KappaWebProperties(
        @DefaultValue Problems problems,
        @DefaultValue ReadYourWrites readYourWrites,
        @DefaultValue Idempotency idempotency,
        @DefaultValue StrictJson strictJson,
        @DefaultValue BodyLimit bodyLimit) {

    /**
     * Problem details.
     *
     * @param enabled    Whether Kappa's exceptions, bad requests and an unreachable database are answered as RFC 9457
     *                   problem details (404, 409, 422, 503 with Retry-After, 4xx naming the field at fault). Off, or
     *                   when the application defines its own ResponseEntityExceptionHandler, the application maps
     *                   them.
     * @param retryAfter What the Retry-After header of a 503 answer says, rounded up to whole seconds.
     * @param typePrefix What a problem's type starts with; the problem's name (such as not-found) follows.
     */
    public record Problems(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("1s") Duration retryAfter,
            @DefaultValue("https://kappa.dev/problems/") String typePrefix) {
    }

    /**
     * Read-your-writes.
     *
     * @param enabled Whether handlers marked @ReadYourWrites wait until their projections have applied the offset in
     *                the request's Kappa-Offset header or offset parameter.
     * @param timeout How long such a handler waits before it answers 503 read-model-behind.
     */
    public record ReadYourWrites(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("2s") Duration timeout) {
    }

    /**
     * Idempotency keys.
     *
     * @param enabled Whether handlers can take an IdempotencyKey parameter, read from the Idempotency-Key header.
     */
    public record Idempotency(@DefaultValue("true") boolean enabled) {
    }

    /**
     * Strict JSON.
     *
     * @param enabled Whether the application's JSON mapper refuses what a careless client would have coerced: a
     *                fraction or a string for a whole number, a string for a number or a boolean, a number or a
     *                boolean for a string, and the NUL character (U+0000), which PostgreSQL cannot store, in a
     *                string.
     */
    public record StrictJson(@DefaultValue("true") boolean enabled) {
    }

    /**
     * The request body limit.
     *
     * @param enabled Whether request bodies larger than the maximum are refused with 413.
     * @param maxSize The largest request body accepted.
     */
    public record BodyLimit(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("1MB") DataSize maxSize) {
    }
}
