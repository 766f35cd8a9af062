package dev.kappa.boot.autoconfigure.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kappa.projections.source.RecordSources;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kappa.projections.topics.<projection>} takes the place of the topic the projection names. */
class ProjectionTopicsTest {

    @Test
    void aProjectionGivenATopicReadsItAndTheOthersReadTheirOwn() {
        List<String> asked = new ArrayList<>();
        RecordSources kafka = (topic, projection) -> {
            asked.add(projection + "<-" + topic);
            return null;
        };
        ProjectionTopics topics = new ProjectionTopics(kafka, Map.of("account-activity", "staging.kappa.log"));

        topics.topic("kappa.log", "account-activity");
        topics.topic("kappa.log", "other");

        assertThat(asked).containsExactly("account-activity<-staging.kappa.log", "other<-kappa.log");
    }
}
