package dev.kappa.eventstore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kappa.postgres.embedded.junit.TestDatabaseExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's example, as printed there, so that it keeps working. */
@ExtendWith(TestDatabaseExtension.class)
class ReadmeExampleIntegrationTest {

    record MoneyDeposited(String accountId, long amount) {}

    @Test
    void theReadmeExampleAppendsReadsAndSubscribes(DataSource dataSource) throws Exception {
        List<MoneyDeposited> read = new ArrayList<>();
        List<String> followed = Collections.synchronizedList(new ArrayList<>());

        KappaSchema.migrate(dataSource);                                    // Kappa's tables, own Flyway history
        EventCodec codec = EventCodec.builder().register(MoneyDeposited.class).build();
        try (EventStore store = EventStore.builder(dataSource).codec(codec).build()) {
            AppendResult result = store.append("account-42", ExpectedVersion.noStream(),
                    List.of(NewEvent.of(new MoneyDeposited("42", 500))));
            for (LogRecord record : store.readStream("account-42", 1)) {
                MoneyDeposited event = codec.decode(record, MoneyDeposited.class);
                read.add(event);
            }
            Subscription subscription = store.subscribe(0, 500,
                    batch -> batch.forEach(r -> followed.add(r.offset() + " " + r.type())));

            assertThat(result).isEqualTo(new AppendResult("account-42", 1, 1, 1));
            assertThat(subscription.awaitPosition(1, Duration.ofSeconds(10))).isTrue();
        }

        assertThat(read).containsExactly(new MoneyDeposited("42", 500));
        assertThat(followed).containsExactly("1 MoneyDeposited");
    }
}
