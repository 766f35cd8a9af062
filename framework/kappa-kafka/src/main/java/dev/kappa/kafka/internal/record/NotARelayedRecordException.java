package dev.kappa.kafka.internal.record;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record on a topic Kappa reads was not published by Kappa's relay (or was altered since): it lacks a header the
 * relay always writes, or holds a value the relay never writes. Names the record's topic, partition and offset.
 */
public final class NotARelayedRecordException extends IllegalArgumentException {

    private final String topic;
    private final int partition;
    private final long kafkaOffset;

    public NotARelayedRecordException(ConsumerRecord<?, ?> record, String reason) {
        super("the record at " + record.topic() + "-" + record.partition() + "@" + record.offset()
                + " was not published by Kappa's relay: " + reason + "; only Kappa's relay should write to this topic");
        this.topic = record.topic();
        this.partition = record.partition();
        this.kafkaOffset = record.offset();
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long kafkaOffset() {
        return kafkaOffset;
    }
}
