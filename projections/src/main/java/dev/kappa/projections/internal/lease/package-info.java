/**
 * Internal: leases, which make each segment of a database projection processed by one live instance at a time.
 * {@link dev.kappa.projections.internal.lease.Lease} is the claim; {@link
 * dev.kappa.projections.internal.lease.PostgresLeases} holds every statement that takes, renews, releases and shares
 * them: an instance takes a free or expired segment while it holds fewer than its fair share (the segments divided by
 * the generation's live members, counted by heartbeat), and hands one over when it holds more; where the source places
 * its partitions itself (a Kafka consumer group), the fair share is not applied and the source's assignment alone
 * decides. A batch's commit
 * extends the lease as well (in {@code PostgresSegments}' fenced checkpoint update). The worker's side (when to renew,
 * what to do on losing it) is in {@code internal.worker}.
 */
package dev.kappa.projections.internal.lease;
