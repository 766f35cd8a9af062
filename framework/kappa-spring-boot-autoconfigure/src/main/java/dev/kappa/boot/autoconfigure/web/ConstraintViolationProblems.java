package dev.kappa.boot.autoconfigure.web;

import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers the violations Bean Validation finds in a {@code @Validated} controller's parameters as a 400 problem that
 * names each parameter. Apart from {@link KappaProblems} because Bean Validation may be absent. Stateless.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ConstraintViolationProblems {

    private final Problems problems;

    ConstraintViolationProblems(Problems problems) {
        this.problems = problems;
    }

    @ExceptionHandler
    ProblemDetail invalid(ConstraintViolationException invalid) {
        String detail = invalid.getConstraintViolations().stream()
                .map(violation -> name(violation) + ": " + violation.getMessage())
                .sorted().collect(Collectors.joining("; "));
        return problems.of(HttpStatus.BAD_REQUEST, "invalid-request", detail.isEmpty() ? invalid.getMessage() : detail);
    }

    /** {@code deposit.accountId} becomes {@code accountId}: clients know parameters, not Java methods. */
    private static String name(ConstraintViolation<?> violation) {
        String name = null;
        for (Path.Node node : violation.getPropertyPath()) {
            name = node.getName();
        }
        return name == null ? violation.getPropertyPath().toString() : name;
    }
}
