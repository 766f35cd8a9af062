/**
 * The console's actions on projections (reset, rebuild, restart, skip, replay), carried out through the projection
 * runtime's rules and recorded, every attempt, in {@code kappa_console_actions}.
 */
package dev.kappa.console.internal.action;
