/**
 * What a Spring MVC application uses of the starter's web support: {@link dev.kappa.boot.web.ReadYourWrites} makes a
 * read wait for the client's own write, {@link dev.kappa.boot.web.IdempotencyKey} applies a write at most once per
 * {@code Idempotency-Key}, and {@link dev.kappa.boot.web.ReadModelBehindException} is the answer when a read model
 * cannot catch up in time. Kappa's exceptions, bad requests and an unreachable database are answered as RFC 9457
 * problem details without any code; docs/web.md describes it all.
 */
package dev.kappa.boot.web;
