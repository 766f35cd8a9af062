package dev.kappa.boot.autoconfigure.kafka;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the application names its Kafka brokers the Spring Boot way, {@code spring.kafka.bootstrap-servers}, in
 * any form Spring Boot binds (a comma-separated value, a YAML list, {@code SPRING_KAFKA_BOOTSTRAPSERVERS}): Kafka is
 * configured, so Kappa's Kafka parts turn on. Without it nothing of Kafka starts, even with the jars present.
 */
class OnKafkaConfiguredCondition extends SpringBootCondition {

    static final String BOOTSTRAP_SERVERS = "spring.kafka.bootstrap-servers";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        List<String> servers = Binder.get(context.getEnvironment())
                .bind(BOOTSTRAP_SERVERS, Bindable.listOf(String.class))
                .orElse(List.of());
        if (servers.stream().anyMatch(server -> !server.isBlank())) {
            return ConditionOutcome.match(BOOTSTRAP_SERVERS + " is " + servers);
        }
        return ConditionOutcome.noMatch(BOOTSTRAP_SERVERS + " is not set");
    }
}
