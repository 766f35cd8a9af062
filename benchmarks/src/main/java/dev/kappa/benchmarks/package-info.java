/**
 * The bank workload ({@code shared/bench/bank-workload.md}) run through Kappa's public API: {@link
 * dev.kappa.benchmarks.BankBenchmark} is the program, each phase a class of its own.
 */
package dev.kappa.benchmarks;
