package dev.kappa.bank.web;

import java.net.URI;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolationException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import dev.kappa.bank.account.AccountRuleViolation;
import dev.kappa.bank.account.AccountRuleViolation.ClosedAccount;
import dev.kappa.bank.account.AccountRuleViolation.FrozenAccount;
import dev.kappa.bank.account.AccountRuleViolation.NonEmptyAccount;
import dev.kappa.bank.transfer.InvalidTransfer;
import dev.kappa.eventstore.AppendOutcomeUnknownException;
import dev.kappa.eventstore.ConcurrencyException;
import dev.kappa.eventstore.EventStoreException;
import dev.kappa.framework.AggregateAlreadyExistsException;
import dev.kappa.framework.AggregateNotFoundException;

/**
 * Every error as an RFC 9457 problem detail, with a {@code type} naming the rule and a {@code detail} saying what was
 * wrong: 400 for a request the API cannot take, 404 for what does not exist, 409 for a state that forbids the
 * command (frozen, closed, exists already, changed under it), 422 for a rule the request breaks (insufficient funds,
 * another currency), 503 with {@code Retry-After} for a read model that has not caught up or a database that failed
 * (a write then says whether it may have been applied, and how to retry it safely).
 */
@RestControllerAdvice
class BankProblems extends ResponseEntityExceptionHandler {

    private static final String TYPES = "https://kappa.dev/problems/";

    @ExceptionHandler
    ProblemDetail ruleViolated(AccountRuleViolation violation) {
        HttpStatus status = violation instanceof FrozenAccount || violation instanceof ClosedAccount
                || violation instanceof NonEmptyAccount ? HttpStatus.CONFLICT : HttpStatus.UNPROCESSABLE_CONTENT;
        ProblemDetail problem = problem(status, violation.rule(), violation.getMessage());
        problem.setProperty("accountId", violation.accountId());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail invalidTransfer(InvalidTransfer invalid) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-transfer", invalid.getMessage());
    }

    @ExceptionHandler
    ProblemDetail notFound(AggregateNotFoundException missing) {
        return problem(HttpStatus.NOT_FOUND, "not-found", missing.getMessage());
    }

    @ExceptionHandler
    ProblemDetail notFound(NotFound missing) {
        return problem(HttpStatus.NOT_FOUND, "not-found", missing.getMessage());
    }

    @ExceptionHandler
    ProblemDetail exists(AggregateAlreadyExistsException exists) {
        return problem(HttpStatus.CONFLICT, "already-exists", exists.getMessage());
    }

    @ExceptionHandler
    ProblemDetail conflict(ConcurrencyException conflict) {
        return problem(HttpStatus.CONFLICT, "concurrent-change", conflict.getMessage());
    }

    @ExceptionHandler
    ProblemDetail badRequest(BadRequest bad) {
        return problem(HttpStatus.BAD_REQUEST, "bad-request", bad.getMessage());
    }

    @ExceptionHandler
    ProblemDetail badParameter(ConstraintViolationException invalid) {
        String detail = invalid.getConstraintViolations().stream()
                .map(violation -> parameterName(violation.getPropertyPath().toString()) + ": " + violation.getMessage())
                .sorted().collect(Collectors.joining("; "));
        return problem(HttpStatus.BAD_REQUEST, "invalid-request", detail);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> behind(ReadModelBehind behind) {
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "read-model-behind", behind.getMessage());
        problem.setProperty("projection", behind.projection());
        problem.setProperty("offset", behind.offset());
        problem.setProperty("checkpoint", behind.checkpoint());
        return unavailable(problem);
    }

    /** The database failed; the message says whether anything was written. */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> storeFailed(EventStoreException failure) {
        return unavailable(problem(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable", failure.getMessage()));
    }

    /**
     * The database does not answer a read model's query or transaction (no connection to be had, or the connection
     * lost): Spring's own exceptions, from repositories and transactions outside the event store.
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessResourceException.class,
            RecoverableDataAccessException.class, CannotCreateTransactionException.class})
    ResponseEntity<ProblemDetail> databaseUnavailable(Exception failure) {
        return unavailable(problem(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable", "the database is unavailable ("
                + failure.getMessage() + "); try again later"));
    }

    /** The connection was lost as the events were committed: only a retry with the same key is safe. */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> outcomeUnknown(AppendOutcomeUnknownException unknown) {
        return unavailable(problem(HttpStatus.SERVICE_UNAVAILABLE, "outcome-unknown", unknown.getMessage()
                + ". Send the request again with the same Idempotency-Key: it is applied at most once"));
    }

    private static ResponseEntity<ProblemDetail> unavailable(ProblemDetail problem) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1").body(problem);
    }

    /** Names every invalid field of the body, instead of Spring's general "Invalid request content". */
    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException invalid,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        String detail = invalid.getBindingResult().getFieldErrors().stream()
                .map(error -> error.getField() + ": " + error.getDefaultMessage())
                .sorted().collect(Collectors.joining("; "));
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "invalid-request", detail));
    }

    private static ProblemDetail problem(HttpStatus status, String type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPES + type));
        return problem;
    }

    /** {@code list.size} becomes {@code size}: clients know parameters, not Java methods. */
    private static String parameterName(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
