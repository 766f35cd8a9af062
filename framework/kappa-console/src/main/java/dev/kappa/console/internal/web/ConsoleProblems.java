package dev.kappa.console.internal.web;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's RFC 9457 problems: a {@code type} made of the web support's prefix and the problem's name (as the
 * actuator endpoint's), the status, a detail that says what was wrong and what to do, and the request's path as
 * {@code instance}. Immutable.
 */
final class ConsoleProblems {

    static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;

    private final String typePrefix;
    private final JsonMapper json;

    ConsoleProblems(String typePrefix, JsonMapper json) {
        this.typePrefix = typePrefix;
        this.json = json;
    }

    /** A problem of type {@code name}. */
    ResponseEntity<String> of(HttpStatus status, String name, String title, String detail,
                              HttpServletRequest request) {
        return of(status, name, title, detail, request, Map.of());
    }

    /** A problem of type {@code name} with members of its own beside RFC 9457's. */
    ResponseEntity<String> of(HttpStatus status, String name, String title, String detail,
                              HttpServletRequest request, Map<String, Object> extensions) {
        Map<String, Object> problem = problem(status, name, title, detail, request);
        problem.putAll(extensions);
        return ResponseEntity.status(status).contentType(PROBLEM).body(json.writeValueAsString(problem));
    }

    /** A 503 that says when to try again. */
    ResponseEntity<String> unavailable(String name, String title, String detail, int retryAfterSeconds,
                                       HttpServletRequest request) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(PROBLEM)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds))
                .body(json.writeValueAsString(problem(HttpStatus.SERVICE_UNAVAILABLE, name, title, detail, request)));
    }

    private Map<String, Object> problem(HttpStatus status, String name, String title, String detail,
                                        HttpServletRequest request) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", typePrefix + name);
        problem.put("title", title);
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        return problem;
    }
}
