package dev.kappa.boot.autoconfigure.aggregates;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

import dev.kappa.boot.autoconfigure.store.KappaClassScanner;

/** Matches when the application has {@code @Aggregate} classes: a gateway without any would only reject commands. */
class OnAggregateClassesCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        int found = KappaClassScanner.scan(context.getBeanFactory(), context.getEnvironment()).aggregates().size();
        return found == 0 ? ConditionOutcome.noMatch("no @Aggregate classes found")
                : ConditionOutcome.match(found + " @Aggregate classes found");
    }
}
