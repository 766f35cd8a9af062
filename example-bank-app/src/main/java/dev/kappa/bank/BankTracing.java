package dev.kappa.bank;

import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.exporter.SpanReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The bank's traces. Spring Boot's Brave support turns the HTTP requests and Kappa's observations (commands, appends,
 * group commits, projection batches) into spans; the trace context travels through the log in the events' metadata,
 * so a transfer's request, its events, the read models' batches and the reactor's commands make one trace, and every
 * log line names its trace and span. An application would send the spans to Zipkin or an OTLP collector; the bank
 * sends them nowhere and logs each finished span at DEBUG instead: set {@code logging.level.dev.kappa.bank.BankTracing}
 * to {@code debug} to read them.
 */
@Configuration(proxyBeanMethods = false)
class BankTracing {

    private static final Logger log = LoggerFactory.getLogger(BankTracing.class);

    @Bean
    SpanReporter bankSpanLog() {
        return BankTracing::report;
    }

    private static void report(FinishedSpan span) {
        if (log.isDebugEnabled()) {
            log.debug("span '{}' trace {} span {} parent {} took {} ms {}", span.getName(), span.getTraceId(),
                    span.getSpanId(), span.getParentId(), span.getDuration().toMillis(), span.getTags());
        }
    }
}
