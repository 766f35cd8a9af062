package dev.kappa.bank.customer;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kappa.bank.ReadModels;
import dev.kappa.bank.customer.CustomerEvents.CustomerProfileChanged;
import dev.kappa.bank.customer.CustomerEvents.CustomerProfileErased;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.test.ProjectionFixture;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code customer_profile} read model, given customers' keyed records as {@link CustomerProfiles} appends them. */
class CustomerProfileProjectionTest {

    private static NewEvent changed(String customerId, String name, String email) {
        return NewEvent.of(new CustomerProfileChanged(customerId, name, email))
                .withCompactionKey(CustomerEvents.key(customerId));
    }

    private static NewEvent erased(String customerId) {
        return NewEvent.tombstone(CustomerEvents.key(customerId), new CustomerProfileErased(customerId));
    }

    @Test
    void aCustomersLatestProfileReplacesTheEarlierOnesAndAnErasureRemovesIt() {
        try (ReadModels readModels = ReadModels.start();
             ProjectionFixture<CustomerProfileProjection> fixture = ProjectionFixture.of(
                     new CustomerProfileProjection(readModels.repository(CustomerProfileRepository.class)))
                     .on(readModels.dataSource())) {
            fixture.givenStream(CustomerEvents.stream("c-1"), changed("c-1", "Ada", "ada@example.org"),
                    changed("c-1", "Ada Lovelace", "ada@example.org"));
            fixture.givenStream(CustomerEvents.stream("c-2"), changed("c-2", "Grace", "grace@example.org"));
            fixture.givenStream(CustomerEvents.stream("c-3"), changed("c-3", "Alan", "alan@example.org"),
                    erased("c-3"));

            assertThat(fixture.rows("customer_profile")).containsExactly(
                    Map.of("customer_id", "c-1", "name", "Ada Lovelace", "email", "ada@example.org"),
                    Map.of("customer_id", "c-2", "name", "Grace", "email", "grace@example.org"));
        }
    }
}
