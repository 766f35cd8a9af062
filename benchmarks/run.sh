#!/usr/bin/env bash
# Runs the bank workload (shared/bench/bank-workload.md) on Kappa and an embedded, durable PostgreSQL 18.
#
#   benchmarks/run.sh              the workload's sizes (a few minutes)
#   benchmarks/run.sh --quick      tiny sizes, seconds: checks the sums, its timings mean nothing
#
# Environment: ACCOUNTS, EVENTS, WRITE_EVENTS, LATENCY_COMMANDS, KAFKA_LATENCY_COMMANDS, KAFKA_PARTITIONS (sizes; the
# workload's by default), QUICK=true,
# PHASES=write,bulk-append,rebuild,latency,segments,relay,kafka-rebuild,kafka-latency,compaction (a subset; the Kafka
# phases run Apache Kafka's server in a child JVM), DURABLE=false (fsync off: label such figures as such),
# CEILING_VARIANTS=false (no COPY into an interned-stream-id log nor into a primary-key-only one),
# SKIP_BUILD=true (use the jar already built), JAVA_OPTS (added to -Xmx4g).
# Prints one 'phase=<name> value=<number> unit=<unit>' line per figure and exits non-zero if a sum is wrong.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/benchmarks/target/kappa-benchmarks.jar"

if [[ "${SKIP_BUILD:-false}" != "true" || ! -f "$jar" ]]; then
    # builds the benchmark and the Kappa modules it uses, nothing else
    (cd "$root" && mvn -q -DskipTests -pl benchmarks -am package)
fi

# shellcheck disable=SC2086
exec java -Xmx4g ${JAVA_OPTS:-} -jar "$jar" "$@"
