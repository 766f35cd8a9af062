/**
 * Accounts: the aggregate with its commands, events and business rules, the projections that keep the
 * {@code account_summary} and {@code account_transactions} read models with their repositories, and the in-memory
 * cache the hot read path serves from.
 */
package dev.kappa.bank.account;
