/**
 * Internal: the model of an aggregate class read from its annotations — its command handlers, event sourcing
 * handlers and target ids — checked at start-up so that every problem is reported before the first command. Users
 * need none of it; they annotate their classes.
 */
package dev.kappa.framework.internal.model;
