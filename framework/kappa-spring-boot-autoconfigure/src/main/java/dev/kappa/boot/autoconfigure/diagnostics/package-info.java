/**
 * Failure analyzers that turn problems found at start-up — in aggregate classes or in a projection the runtime
 * refuses — into a report naming each problem instead of a stack trace. Applications need none of it; Spring Boot
 * finds them by itself.
 */
package dev.kappa.boot.autoconfigure.diagnostics;
