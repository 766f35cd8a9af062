/** The console's auto-configuration; its parts are in the sub-packages. */
package dev.kappa.console.internal;
