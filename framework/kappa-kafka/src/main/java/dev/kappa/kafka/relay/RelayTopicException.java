package dev.kappa.kafka.relay;

/**
 * One of the relay's topics cannot hold the log as the relay promises: it exists with the wrong cleanup policy (thrown
 * by {@link KafkaRelay#start()}), or it was deleted or created anew under a running relay (the relay then stops, in
 * state {@link RelayState#FAILED}, with this message as its {@link RelayStatus#error()}). The message names the topic,
 * what was found, what the relay needs and what to do.
 */
public final class RelayTopicException extends RuntimeException {

    private final String topic;

    public RelayTopicException(String topic, String message) {
        super(message);
        this.topic = topic;
    }

    /** The topic at fault. */
    public String topic() {
        return topic;
    }
}
