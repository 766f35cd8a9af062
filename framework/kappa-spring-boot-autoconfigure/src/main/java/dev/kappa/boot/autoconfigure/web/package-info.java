/**
 * Auto-configuration of the web support for Spring MVC: RFC 9457 problem details for Kappa's exceptions, bad
 * requests and an unreachable database, read-your-writes waits, idempotency keys, request body limits and strict JSON.
 * Applications use it through {@code dev.kappa.boot.web}; everything here but the auto-configuration and its
 * {@code kappa.web.*} settings is package-private.
 */
package dev.kappa.boot.autoconfigure.web;
