package dev.kappa.boot.autoconfigure.projections;

import dev.kappa.projections.ProjectionRuntimeBuilder;

/**
 * Adjusts the auto-configured projection runtime before it is built (a clock, a transaction manager of the
 * application's choice). Define one as a bean.
 */
@FunctionalInterface
public interface KappaProjectionsCustomizer {

    /** Adjusts the runtime's settings. */
    void customize(ProjectionRuntimeBuilder builder);
}
