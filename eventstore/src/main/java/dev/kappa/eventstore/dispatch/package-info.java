/**
 * Which handler an event goes to, for frameworks built on the event store: a
 * {@link dev.kappa.eventstore.dispatch.HandlersByType} holds handlers keyed by the event type each takes (a record, a
 * superclass or an interface, a sealed one say) and finds the one for an event's class, the handler whose type is
 * its most specific supertype, or fails with {@link dev.kappa.eventstore.dispatch.AmbiguousHandlersException} when
 * two fit equally well.
 *
 * <p>Kappa's aggregates ({@code @EventSourcingHandler}) and projections ({@code @EventHandler}) resolve their handlers
 * with it, so the two cannot come to disagree; it lives here because both depend on the event store and on nothing
 * else in common. It is a supported service-provider package, kept stable, but applications writing handlers need
 * none of it.
 */
package dev.kappa.eventstore.dispatch;
