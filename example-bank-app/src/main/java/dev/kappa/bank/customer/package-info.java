/**
 * Customer profiles, kept in the log as compacted change-capture records (only the latest per customer survives
 * compaction), and the projection and repository of the {@code customer_profile} read model.
 */
package dev.kappa.bank.customer;
