/** Internal: how kappa-test runs a command without a database. Nothing here is API; it may change in any release. */
package dev.kappa.test.internal;
