package dev.kappa.boot.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler (or every handler of a controller) that reads the read models of the named projections: a request
 * that carries a log offset, in the {@value #HEADER} header or the {@value #PARAMETER} parameter, is served only once
 * every one of them has applied it, so that a client reads its own writes. A write answers with the offset of its
 * last event ({@code CommandResult.lastOffset()}); the client sends it back. If a projection has not applied the
 * offset within {@code kappa.web.read-your-writes.timeout}, the answer is a 503 problem of type
 * {@code read-model-behind} with {@code Retry-After}, never stale data. A request without an offset, or with 0, does
 * not wait; an offset that is not a whole number of 0 or more is a 400 problem.
 *
 * <pre>{@code
 * @GetMapping("/accounts/{id}")
 * @ReadYourWrites("balances")
 * Balance balance(@PathVariable String id) { ... }
 * }</pre>
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ReadYourWrites {

    /** The header a write answers with and a read may send back. */
    String HEADER = "Kappa-Offset";

    /** The query parameter a read may pass the offset in instead of the header. */
    String PARAMETER = "offset";

    /** The projections whose read models the handler reads. */
    String[] value();
}
