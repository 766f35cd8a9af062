/** Internal: the implementation of Kappa's programming model. Nothing here is API; it may change in any release. */
package dev.kappa.framework.internal;
