package dev.kappa.boot.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import dev.kappa.projections.ProjectionMonitor;
import dev.kappa.projections.ProjectionState;
import dev.kappa.projections.ProjectionStatus;
import dev.kappa.projections.SegmentStatus;

/**
 * DOWN while a projection has FAILED, naming it with the offset, event type and error it stopped at, or waits for the
 * database, with since when and the last error; UP otherwise, with every projection's state and lag. While the
 * database does not answer, the status comes from what the workers know, without waiting for it again.
 */
public class KappaProjectionsHealthIndicator extends AbstractHealthIndicator {

    private final ProjectionMonitor projections;

    public KappaProjectionsHealthIndicator(ProjectionMonitor projections) {
        super("Kappa projections health check failed");
        this.projections = projections;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean failed = false;
        for (ProjectionStatus status : projections.status()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("state", status.state());
            details.put("checkpoint", status.checkpoint());
            details.put("lag", status.lag());
            status.outage().ifPresent(outage -> details.put("outage", Map.of("since", outage.since().toString(),
                    "error", outage.error())));
            if (status.state() == ProjectionState.WAITING_FOR_DATABASE) {
                failed = true;
            }
            if (status.state() == ProjectionState.FAILED) {
                failed = true;
                for (SegmentStatus segment : status.segments()) {
                    segment.failure().ifPresent(failure -> details.put("failure", Map.of(
                            "segment", segment.segment(), "offset", failure.offset(),
                            "eventType", failure.eventType(), "error", failure.errorType() + ": " + failure.message())));
                }
            }
            builder.withDetail(status.name(), details);
        }
        if (failed) {
            builder.down();
        } else {
            builder.up();
        }
    }
}
