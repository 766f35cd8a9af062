package dev.kappa.kafka.internal.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import dev.kappa.eventstore.EventMetadata;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.kafka.KappaHeaders;

class KafkaRecordsTest {

    @Test
    void aRecordComesBackAsTheLogRecordItWasWithEveryHeader() {
        LogRecord record = new LogRecord(42, "account-7", 3, "MoneyDeposited", "{\"amount\":5}",
                new EventMetadata(UUID.randomUUID(), "corr", "cause", Instant.parse("2026-11-30T17:20:55.123456Z"),
                        Map.of("tenant", "t1")), null, false);

        LogRecord back = KafkaRecords.fromKafka(consumed(KafkaRecords.toKafka("kappa.log", record)));

        assertThat(back).isEqualTo(record);
        assertThat(new String(KafkaRecords.toKafka("kappa.log", record).key())).isEqualTo("account-7");
    }

    @Test
    void aTombstoneIsANullValueKeyedByItsCompactionKeyAndKeepsItsPayloadInAHeader() {
        LogRecord tombstone = new LogRecord(43, "customer-1", 9, "CustomerErased", "{\"reason\":\"asked\"}",
                new EventMetadata(UUID.randomUUID(), null, null, Instant.now(), Map.of()), "customer:1", true);

        ProducerRecord<byte[], byte[]> sent = KafkaRecords.toKafka("kappa.log.compacted", tombstone);

        assertThat(sent.value()).isNull();
        assertThat(new String(sent.key())).isEqualTo("customer:1");
        assertThat(KafkaRecords.fromKafka(consumed(sent))).isEqualTo(tombstone);
    }

    @Test
    void aRecordTheRelayDidNotWriteIsNamedByItsCoordinatesOnce() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(KappaHeaders.OFFSET, "12".getBytes());
        ConsumerRecord<byte[], byte[]> foreign = new ConsumerRecord<>("kappa.log", 2, 77, 0L, TimestampType.CREATE_TIME,
                0, 0, "k".getBytes(), "v".getBytes(), headers, Optional.empty());

        assertThatThrownBy(() -> KafkaRecords.fromKafka(foreign))
                .isInstanceOf(NotARelayedRecordException.class)
                .hasMessage("the record at kappa.log-2@77 was not published by Kappa's relay: it has no "
                        + KappaHeaders.STREAM + " header; only Kappa's relay should write to this topic");
    }

    private static ConsumerRecord<byte[], byte[]> consumed(ProducerRecord<byte[], byte[]> sent) {
        return new ConsumerRecord<>(sent.topic(), 0, 0, 0L, TimestampType.CREATE_TIME, 0, 0, sent.key(), sent.value(),
                sent.headers(), Optional.empty());
    }
}
