package dev.kappa.boot.autoconfigure.kafka;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the in-memory views of compacted topics that the application makes with {@link CompactedViews}.
 *
 * @param readinessTimeout How long readiness waits for the views to load their topics after start-up before the
 *                         application reports ready all the same (with a warning).
 */
@ConfigurationProperties("kappa.kafka.views")
public record KappaKafkaViewsProperties(@DefaultValue("10m") Duration readinessTimeout) {
}
