package dev.kappa.bank.web;

import java.lang.annotation.ElementType;
import java.math.BigDecimal;
import java.util.Arrays;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;

import dev.kappa.boot.web.IdempotencyKey;
import dev.kappa.boot.web.ReadYourWrites;

/**
 * The OpenAPI document at {@code /v3/api-docs} (and its page, {@code /swagger-ui.html}): the API's title and
 * description, the meaning of the parameters every operation shares, and the error answers the controllers' methods
 * name with the annotations below, each an RFC 9457 problem; and what the starter's web support reads outside a
 * handler's parameters: the {@code Idempotency-Key} header of writes, and the {@code Kappa-Offset} header and
 * {@code offset} parameter of reads marked {@link ReadYourWrites}.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    static final String TITLE = "Kappa example bank";
    static final String PROBLEM = "application/problem+json";
    static final String PROBLEM_SCHEMA = "#/components/schemas/Problem";

    private static final String DESCRIPTION = """
            Accounts, transfers between them and customer profiles, kept as events in Kappa's log; the reads come \
            from read models derived from it.

            - **Reading your writes.** Every write answers with the `offset` of its events (also in the \
            `Kappa-Offset` header). A read given that offset (`?offset=` or the `Kappa-Offset` header) answers once \
            its read model includes it, or 503 `read-model-behind` if it does not in time.
            - **Retries.** Writes take an `Idempotency-Key` header: sending the same request again with the same key \
            applies it at most once, and the answer then says `"repeated": true`.
            - **Money.** Amounts and balances are whole minor units (cents), currencies ISO 4217 codes.
            - **Errors** are RFC 9457 problem details (`application/problem+json`) whose `type` names the rule and \
            whose `detail` says what was wrong; a 503 carries `Retry-After`.

            The API is open to anyone: the bank is a demo. Its actuator (`/actuator`) is the operator's, outside \
            this document.""";

    static {
        // resolved by the starter from the header, not a request parameter of its own
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(IdempotencyKey.class);
    }

    /** The inputs the starter's web support reads for a handler: the idempotency key, the offset to wait for. */
    @Bean
    OperationCustomizer kappaWebParameters() {
        return (operation, handler) -> {
            boolean takesKey = Arrays.stream(handler.getMethodParameters())
                    .anyMatch(parameter -> parameter.getParameterType() == IdempotencyKey.class);
            if (takesKey) {
                operation.addParametersItem(new HeaderParameter().name(IdempotencyKey.HEADER)
                        .description("Applies the write at most once: a retry with the same key and request answers"
                                + " what the first did; the same key with another request is refused with 422")
                        .schema(new StringSchema().maxLength(IdempotencyKey.MAX_LENGTH)));
            }
            boolean reads = AnnotatedElementUtils.hasAnnotation(handler.getMethod(), ReadYourWrites.class)
                    || AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), ReadYourWrites.class);
            if (reads) {
                String wait = "The offset a write answered with: the read waits until it includes that write, or"
                        + " answers 503 read-model-behind";
                operation.addParametersItem(new HeaderParameter().name(ReadYourWrites.HEADER).description(wait)
                        .schema(new IntegerSchema().format("int64").minimum(BigDecimal.ZERO)));
                operation.addParametersItem(new QueryParameter().name(ReadYourWrites.PARAMETER)
                        .description(wait + " (the header wins if both are given)")
                        .schema(new IntegerSchema().format("int64").minimum(BigDecimal.ZERO)));
            }
            return operation;
        };
    }

    @Bean
    OpenAPI bankOpenApi() {
        return new OpenAPI().info(new Info().title(TITLE).version("1").description(DESCRIPTION))
                .components(new Components().addSchemas("Problem", problem()));
    }

    /** RFC 9457's members as Spring writes them, extension members (accountId, projection, ...) beside them. */
    private static io.swagger.v3.oas.models.media.Schema<Object> problem() {
        return new ObjectSchema().description("An RFC 9457 problem detail.")
                .addProperty("type", new StringSchema().format("uri").description("Names the rule or failure,"
                        + " e.g. https://kappa.dev/problems/insufficient-funds."))
                .addProperty("title", new StringSchema().description("The status's reason phrase."))
                .addProperty("status", new IntegerSchema().description("The HTTP status."))
                .addProperty("detail", new StringSchema().description("What was wrong, and what to do."))
                .addProperty("instance", new StringSchema().format("uri-reference")
                        .description("The request's path."))
                .required(List.of("type", "title", "status"))
                .additionalProperties(Boolean.TRUE);
    }

    /** Describes the paging parameters, which mean the same wherever they appear. */
    @Bean
    OperationCustomizer sharedParameters() {
        return (operation, handler) -> {
            if (operation.getParameters() != null) {
                operation.getParameters().forEach(ApiDocumentation::describe);
            }
            return operation;
        };
    }

    /** Every write's success names the offset of its events in a header, as its body does. */
    @Bean
    OpenApiCustomizer offsetHeaderOfWrites() {
        return openApi -> openApi.getPaths().values().forEach(path -> Stream.of(path.getPost(), path.getPut(),
                        path.getPatch(), path.getDelete()).filter(Objects::nonNull)
                .flatMap(operation -> operation.getResponses().entrySet().stream())
                .filter(response -> response.getKey().startsWith("2"))
                .forEach(response -> response.getValue().addHeaderObject("Kappa-Offset", offsetHeader())));
    }

    private static io.swagger.v3.oas.models.headers.Header offsetHeader() {
        return new io.swagger.v3.oas.models.headers.Header().schema(new IntegerSchema().format("int64"))
                .description("The offset of the write's last event: give it to a read to see this write.");
    }

    private static void describe(Parameter parameter) {
        String description = switch (parameter.getName()) {
            case "page" -> "The page, from 0.";
            case "size" -> "Entries per page, 1 to 200.";
            default -> null;
        };
        if (description != null && parameter.getDescription() == null) {
            parameter.setDescription(description);
        }
    }

    /** 400: the request cannot be taken as it is. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @ApiResponse(responseCode = "400", description = "The request cannot be taken: malformed JSON, a missing or"
            + " ill-typed field, an invalid value or parameter. The problem's detail names each field and what is"
            + " wrong with it.", content = @Content(mediaType = PROBLEM,
            schema = @Schema(ref = PROBLEM_SCHEMA)))
    @interface InvalidRequestResponse {
    }

    /** 404: what the request names does not exist. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @ApiResponse(responseCode = "404", description = "There is no such account, transfer or customer (not-found).",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = PROBLEM_SCHEMA)))
    @interface NotFoundResponse {
    }

    /** 409: the state of what the request names forbids it. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @ApiResponse(responseCode = "409", description = "The state forbids it: the account is frozen or closed, or"
            + " not empty for a close; the id is taken (already-exists); or it changed concurrently more often than"
            + " the retries allow (concurrent-change).", content = @Content(mediaType = PROBLEM,
            schema = @Schema(ref = PROBLEM_SCHEMA)))
    @interface ConflictResponse {
    }

    /** 422: the request breaks one of the bank's rules. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @ApiResponse(responseCode = "422", description = "The request breaks a rule of the bank: insufficient funds,"
            + " another currency than the account's, an amount the balance cannot hold, a transfer to the same"
            + " account. The problem's type names the rule.", content = @Content(mediaType = PROBLEM,
            schema = @Schema(ref = PROBLEM_SCHEMA)))
    @interface RuleViolationResponse {
    }

    /** 503: try again shortly. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @ApiResponse(responseCode = "503", description = "Try again after Retry-After: the database is unavailable"
            + " (store-unavailable); a write's outcome is unknown (outcome-unknown: send it again with the same"
            + " Idempotency-Key); or, for a read given an offset, the read model has not reached it in time"
            + " (read-model-behind).", headers = @Header(name = "Retry-After", description = "Seconds to wait.",
            schema = @Schema(type = "integer")), content = @Content(mediaType = PROBLEM,
            schema = @Schema(ref = PROBLEM_SCHEMA)))
    @interface UnavailableResponse {
    }
}
