package dev.kappa.kafka.view;

/**
 * A snapshot of a {@link CompactedView}.
 *
 * @param topic      the compacted topic it holds
 * @param ready      whether it has loaded up to the end offsets the topic had at start
 * @param keys       how many keys it holds
 * @param recordsRead records read since start
 * @param lag        records between what it has read and the topic's end offsets, summed over partitions, as last
 *                   seen; -1 while unknown
 * @param error      why it cannot read the topic now, for an operator; {@code null} while it can
 */
public record ViewStatus(String topic, boolean ready, long keys, long recordsRead, long lag, String error) {
}
