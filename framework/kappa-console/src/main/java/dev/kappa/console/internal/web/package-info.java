/**
 * The console's web side: the page, its assets, the state as JSON, the live stream and the actions, with the checks
 * of who may act.
 */
package dev.kappa.console.internal.web;
