package dev.kappa.bank.web;

import java.math.BigDecimal;
import java.util.Arrays;

import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;

import dev.kappa.boot.web.IdempotencyKey;
import dev.kappa.boot.web.ReadYourWrites;

/**
 * Describes in the OpenAPI document what the starter's web support reads outside a handler's parameters: the
 * {@code Idempotency-Key} header of writes, and the {@code Kappa-Offset} header and {@code offset} parameter of
 * reads marked {@link ReadYourWrites}.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    static {
        // resolved by the starter from the header, not a request parameter of its own
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(IdempotencyKey.class);
    }

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
}
