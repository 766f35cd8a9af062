/**
 * Internal: subscriptions to the log and waits for its head, woken by one shared listener for the notifications
 * every append sends, with polling as the fallback. Users need none of it; they subscribe through
 * {@link dev.kappa.eventstore.LogSubscriptions}.
 */
package dev.kappa.eventstore.internal.subscribe;
