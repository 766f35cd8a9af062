/**
 * The console's state: what the page shows, put together from the projection monitor, the log, the relay and the
 * action log, with append and replay rates measured from samples.
 */
package dev.kappa.console.internal.state;
