/**
 * The {@code kappa} actuator endpoint (the log's head and every projection's status, lag and rebuild progress) and
 * the projections' health indicator, configured when Spring Boot Actuator is present.
 */
package dev.kappa.boot.autoconfigure.actuate;
