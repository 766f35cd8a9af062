package dev.kappa.boot.autoconfigure.aggregates;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

import dev.kappa.boot.autoconfigure.store.KappaClassScanner;

/**
 * Matches when the application has {@code @Aggregate} classes: a gateway without any would only reject commands.
 * Evaluated when beans are registered, once the application's packages are known.
 */
class OnAggregateClassesCondition extends SpringBootCondition implements ConfigurationCondition {

    @Override
    public ConfigurationPhase getConfigurationPhase() {
        return ConfigurationPhase.REGISTER_BEAN;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        int found = KappaClassScanner.scan(context.getBeanFactory(), context.getEnvironment()).aggregates().size();
        return found == 0 ? ConditionOutcome.noMatch("no @Aggregate classes found")
                : ConditionOutcome.match(found + " @Aggregate classes found");
    }
}
