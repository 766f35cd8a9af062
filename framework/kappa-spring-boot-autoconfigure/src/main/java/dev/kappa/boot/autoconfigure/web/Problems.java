package dev.kappa.boot.autoconfigure.web;

import java.net.URI;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;

/**
 * Builds the problem details of the web support: a {@code type} made of the configured prefix and the problem's
 * name, the status, a detail that says what was wrong, and {@code Retry-After} on a 503. Immutable.
 */
final class Problems {

    private final String typePrefix;
    private final String retryAfter;

    Problems(KappaWebProperties.Problems settings) {
        this.typePrefix = settings.typePrefix();
        long seconds = Math.max(1, (settings.retryAfter().toMillis() + 999) / 1000);
        this.retryAfter = String.valueOf(seconds);
        URI.create(typePrefix + "not-found"); // fail at start-up, not on the first error, if the prefix is no URI
    }

    /** A problem of type {@code name}. */
    ProblemDetail of(HttpStatusCode status, String name, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type(name));
        return problem;
    }

    /** The type URI of a problem's name. */
    URI type(String name) {
        return URI.create(typePrefix + name);
    }

    /** An exception to throw from a filter, an interceptor or an argument resolver: answered as the problem. */
    ErrorResponseException error(HttpStatus status, String name, String detail) {
        return new ErrorResponseException(status, of(status, name, detail), null);
    }

    /** A 503 answer that tells the client when to retry. */
    ResponseEntity<ProblemDetail> unavailable(String name, String detail) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, retryAfter)
                .body(of(HttpStatus.SERVICE_UNAVAILABLE, name, detail));
    }

    /** The value of a 503's {@code Retry-After}, in seconds. */
    String retryAfter() {
        return retryAfter;
    }

    /** A problem name for a status with none of its own: {@code invalid-request} for 400, else its reason words. */
    static String nameOf(HttpStatusCode status) {
        if (status.value() == 400) {
            return "invalid-request";
        }
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "http-" + status.value() : known.name().toLowerCase().replace('_', '-');
    }
}
