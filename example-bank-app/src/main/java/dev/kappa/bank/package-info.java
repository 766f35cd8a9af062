/**
 * Kappa's example bank, a Spring Boot application: accounts as event-sourced aggregates, transfers as a process
 * driven by a reactor, read models kept by projections, and a REST API. This package holds the application's entry
 * point and its security; each concept has a package of its own.
 */
package dev.kappa.bank;
