/**
 * Internal: how kappa-test runs a command without a database, and a projection or process on a log of its own (the
 * runtime it starts, a codec that registers the given events' classes, a gateway that records commands). Nothing here
 * is API; it may change in any release.
 */
package dev.kappa.test.internal;
