package dev.kappa.boot.autoconfigure.kafka;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import static org.assertj.core.api.Assertions.assertThat;

/** Kappa's Kafka clients take Spring Boot's {@code spring.kafka.*}, security included, but decide their own codecs. */
class KafkaClientPropertiesTest {

    @Test
    void securityAndFreePropertiesReachBothKindsOfClientsButSerializersAndTheGroupDoNot() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of("broker-1:9093", "broker-2:9093"));
        kafka.getSecurity().setProtocol("SASL_SSL");
        kafka.getProperties().put("sasl.mechanism", "SCRAM-SHA-512");
        kafka.getSsl().setTrustStoreType("PKCS12");
        kafka.getConsumer().setGroupId("the-applications-own-listeners");
        kafka.getProducer().setAcks("all");

        for (var properties : List.of(KafkaClientProperties.producer(kafka), KafkaClientProperties.consumer(kafka))) {
            assertThat(properties).containsEntry("bootstrap.servers", List.of("broker-1:9093", "broker-2:9093"))
                    .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("ssl.truststore.type", "PKCS12")
                    .doesNotContainKeys("key.serializer", "value.serializer", "key.deserializer",
                            "value.deserializer", "group.id");
        }
        assertThat(KafkaClientProperties.producer(kafka)).containsEntry("acks", "all");
        assertThat(KafkaClientProperties.consumer(kafka)).as("Kappa's consumers never create a topic")
                .containsEntry("allow.auto.create.topics", false);
    }
}
