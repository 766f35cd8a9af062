package dev.kappa.boot.autoconfigure.web;

import java.time.Clock;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.TransactionException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import dev.kappa.boot.web.ReadModelBehindException;
import dev.kappa.eventstore.AppendOutcomeUnknownException;
import dev.kappa.eventstore.ConcurrencyException;
import dev.kappa.eventstore.DatabaseFailures;
import dev.kappa.eventstore.EventStoreException;
import dev.kappa.eventstore.IdempotencyKeyReusedException;
import dev.kappa.framework.AggregateAlreadyExistsException;
import dev.kappa.framework.AggregateNotFoundException;
import dev.kappa.framework.InvalidAggregateIdException;
import dev.kappa.framework.RuleViolationException;

/**
 * Answers Kappa's exceptions, Spring MVC's and an unreachable database as RFC 9457 problem details whose
 * {@code type} names the problem and whose {@code detail} says what was wrong — for a bad request, which field and
 * why. Ordered last, so that the application's own {@code @ExceptionHandler}s come first. Thread-safe.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class KappaProblems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(KappaProblems.class);

    static final String STORE_UNAVAILABLE = "the database is unavailable; nothing was written. Retry shortly";
    static final String OUTCOME_UNKNOWN = "the database connection was lost while the request's events were being"
            + " committed: they may or may not have been written. Send the request again with the same"
            + " Idempotency-Key: it is applied at most once";

    private final Problems problems;
    private final UnavailableAnswers unavailable;

    KappaProblems(Problems problems) {
        this(problems, Clock.systemUTC());
    }

    KappaProblems(Problems problems, Clock clock) {
        this.problems = problems;
        this.unavailable = new UnavailableAnswers(log, clock);
    }

    @ExceptionHandler
    ProblemDetail notFound(AggregateNotFoundException missing) {
        ProblemDetail problem = problems.of(HttpStatus.NOT_FOUND, "not-found", missing.getMessage());
        problem.setProperty("aggregateId", missing.aggregateId());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail exists(AggregateAlreadyExistsException exists) {
        ProblemDetail problem = problems.of(HttpStatus.CONFLICT, "already-exists", exists.getMessage());
        problem.setProperty("aggregateId", exists.aggregateId());
        return problem;
    }

    /** The command kept meeting concurrent changes, past the gateway's retries. */
    @ExceptionHandler
    ProblemDetail conflict(ConcurrencyException conflict) {
        return problems.of(HttpStatus.CONFLICT, "concurrent-change", conflict.getMessage());
    }

    @ExceptionHandler
    ProblemDetail ruleViolated(RuleViolationException violation) {
        String rule = violation.rule();
        boolean named = rule != null && rule.matches("[A-Za-z0-9][A-Za-z0-9._~-]*");
        ProblemDetail problem = problems.of(HttpStatus.UNPROCESSABLE_CONTENT, named ? rule : "rule-violation",
                violation.getMessage());
        violation.details().forEach(problem::setProperty);
        return problem;
    }

    /** The client reused a key for another request: the IETF idempotency-key draft's 422. */
    @ExceptionHandler
    ProblemDetail keyReused(IdempotencyKeyReusedException reused) {
        return problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused", "the Idempotency-Key was"
                + " already used for a different request to this resource; nothing was written. Send a new key with"
                + " a new request; only a retry of the same request may repeat a key");
    }

    @ExceptionHandler
    ProblemDetail invalidId(InvalidAggregateIdException invalid) {
        return problems.of(HttpStatus.BAD_REQUEST, "invalid-request", invalid.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> behind(ReadModelBehindException behind) {
        ResponseEntity<ProblemDetail> answer = problems.unavailable("read-model-behind", behind.getMessage());
        ProblemDetail problem = answer.getBody();
        problem.setProperty("projection", behind.projection());
        problem.setProperty("offset", behind.offset());
        problem.setProperty("checkpoint", behind.checkpoint());
        return answer;
    }

    /**
     * The database failed before anything was committed (the store's contract: an append that may have been written
     * is an {@link AppendOutcomeUnknownException}). The store's message names the pool, the server and the SQL, so it
     * goes to the log; the client reads a fixed sentence.
     */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> storeFailed(EventStoreException failure) {
        unavailable.answered(failure.getMessage());
        return problems.unavailable("store-unavailable", STORE_UNAVAILABLE);
    }

    /** The connection was lost as the events were committed: only a retry with the same key is safe. */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> outcomeUnknown(AppendOutcomeUnknownException unknown) {
        unavailable.answered(unknown.getMessage());
        return problems.unavailable("outcome-unknown", OUTCOME_UNKNOWN);
    }

    /**
     * The database cannot be reached, seen through Spring's data access (a read model's repository, a transaction
     * that cannot begin or end): whatever Spring made of it, the failure's causes tell. Its message may hold SQL, so
     * it goes to the log, not to the client. Any other data access failure is not Kappa's to answer: it goes on to
     * Spring's error handling as before.
     */
    @ExceptionHandler({DataAccessException.class, TransactionException.class})
    ResponseEntity<ProblemDetail> databaseUnavailable(Exception failure) throws Exception {
        if (!(failure instanceof TransientDataAccessResourceException
                || failure instanceof RecoverableDataAccessException || DatabaseFailures.isUnavailable(failure))) {
            throw failure;
        }
        unavailable.answered("the database is unavailable: " + DatabaseFailures.describe(failure));
        return problems.unavailable("store-unavailable", "the database is unavailable; retry shortly");
    }

    /** A multipart body Tomcat cannot even split into parts (no boundary, say), before any handler is chosen. */
    @ExceptionHandler
    ProblemDetail unreadableMultipart(MultipartException unreadable) {
        Throwable cause = unreadable.getCause() != null ? unreadable.getCause() : unreadable;
        return problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "the multipart body cannot be read: "
                + cause.getMessage());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException unreadable,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        RequestBodyTooLargeException tooLarge = UnreadableBody.find(unreadable, RequestBodyTooLargeException.class);
        if (tooLarge != null) {
            return answer(unreadable, HttpStatus.CONTENT_TOO_LARGE, "content-too-large", tooLarge.getMessage(),
                    headers, request);
        }
        return answer(unreadable, HttpStatus.BAD_REQUEST, "invalid-request", UnreadableBody.describe(unreadable),
                headers, request);
    }

    /** Names every invalid field of the body, instead of Spring's general "Invalid request content". */
    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException invalid,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        List<String> errors = new ArrayList<>();
        invalid.getBindingResult().getFieldErrors()
                .forEach(error -> errors.add(error.getField() + ": " + error.getDefaultMessage()));
        invalid.getBindingResult().getGlobalErrors().forEach(error -> errors.add(error.getDefaultMessage()));
        return answer(invalid, HttpStatus.BAD_REQUEST, "invalid-request", joined(errors), headers, request);
    }

    /** Names every invalid parameter, as the client knows it (the header's or parameter's name). */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException invalid,
                                                                            HttpHeaders headers,
                                                                            HttpStatusCode status,
                                                                            WebRequest request) {
        List<String> errors = new ArrayList<>();
        for (ParameterValidationResult result : invalid.getParameterValidationResults()) {
            if (result instanceof ParameterErrors fields && fields.hasFieldErrors()) {
                for (FieldError error : fields.getFieldErrors()) {
                    errors.add(error.getField() + ": " + error.getDefaultMessage());
                }
            } else {
                String name = clientName(result.getMethodParameter());
                result.getResolvableErrors().forEach(error -> errors.add(name + ": " + error.getDefaultMessage()));
            }
        }
        invalid.getCrossParameterValidationResults().forEach(error -> errors.add(error.getDefaultMessage()));
        return answer(invalid, HttpStatus.BAD_REQUEST, "invalid-request", joined(errors), headers, request);
    }

    /** {@code ?size=many}: names the parameter and what it should be. */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException mismatch, HttpHeaders headers,
                                                        HttpStatusCode status, WebRequest request) {
        String name = mismatch instanceof MethodArgumentTypeMismatchException argument
                ? clientName(argument.getParameter()) : mismatch.getPropertyName();
        Object value = mismatch.getValue();
        String shown = value == null ? "null" : "'" + shortened(String.valueOf(value)) + "'";
        String detail = (name == null ? "a value" : name) + ": must be "
                + UnreadableBody.expected(mismatch.getRequiredType()) + ", not " + shown;
        return answer(mismatch, HttpStatus.BAD_REQUEST, "invalid-request", detail, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException unsupported,
                                                                     HttpHeaders headers, HttpStatusCode status,
                                                                     WebRequest request) {
        List<MediaType> supported = unsupported.getSupportedMediaTypes().stream()
                .filter(type -> !type.isWildcardType() && !type.isWildcardSubtype()).toList();
        MediaType sent = unsupported.getContentType();
        String header = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String detail = (sent != null ? "Content-Type '" + sent + "' is not supported here"
                : header != null ? "Content-Type '" + shortened(header) + "' cannot be read: it is no media type, or"
                + " names an unknown charset"
                : "a body without a Content-Type is not supported here")
                + (supported.isEmpty() ? "" : "; send " + (supported.contains(MediaType.APPLICATION_JSON)
                ? MediaType.APPLICATION_JSON_VALUE
                : supported.stream().map(MediaType::toString).collect(Collectors.joining(" or "))));
        return answer(unsupported, status, "unsupported-media-type", detail, headers, request);
    }

    /** Gives the problems Spring MVC builds itself (405, 406, a missing parameter) a type that names them. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception exception, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> answer = super.handleExceptionInternal(exception, body, headers, status, request);
        if (answer != null && answer.getBody() instanceof ProblemDetail problem
                && (problem.getType() == null || "about:blank".equals(problem.getType().toString()))) {
            problem.setType(problems.type(Problems.nameOf(answer.getStatusCode())));
        }
        return answer;
    }

    private ResponseEntity<Object> answer(Exception exception, HttpStatusCode status, String name, String detail,
                                          HttpHeaders headers, WebRequest request) {
        return handleExceptionInternal(exception, problems.of(status, name, detail), headers, status, request);
    }

    /** The name a client knows a parameter by: the header's or parameter's, else the Java parameter's. */
    static String clientName(MethodParameter parameter) {
        RequestHeader header = parameter.getParameterAnnotation(RequestHeader.class);
        RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
        PathVariable path = parameter.getParameterAnnotation(PathVariable.class);
        String name = header != null ? either(header.name(), header.value())
                : param != null ? either(param.name(), param.value())
                : path != null ? either(path.name(), path.value()) : "";
        if (!name.isEmpty()) {
            return name;
        }
        name = parameter.getParameterName();
        return name == null ? "argument " + parameter.getParameterIndex() : name;
    }

    private static String either(String name, String value) {
        return name.isEmpty() ? value : name;
    }

    private static String joined(List<String> errors) {
        return errors.isEmpty() ? "the request is invalid" : errors.stream().sorted().collect(Collectors.joining("; "));
    }

    private static String shortened(String value) {
        String visible = value.replaceAll("\\p{Cntrl}", "?");
        return visible.length() > 40 ? visible.substring(0, 40) + "…" : visible;
    }
}
