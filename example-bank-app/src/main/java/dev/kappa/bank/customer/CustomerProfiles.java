package dev.kappa.bank.customer;

import java.util.List;

import org.springframework.stereotype.Service;

import dev.kappa.bank.customer.CustomerEvents.CustomerProfileChanged;
import dev.kappa.bank.customer.CustomerEvents.CustomerProfileErased;
import dev.kappa.eventstore.AppendRequest;
import dev.kappa.eventstore.EventAppender;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.NewEvent;

/**
 * Writes customer profiles to the log as change-capture records: each is the customer's whole current profile, under
 * the compaction key {@code customer:<id>}, so that a compacted log still holds every customer's latest profile and a
 * new reader loads the full data set by reading from offset zero. There is no aggregate: the last write wins.
 */
@Service
public class CustomerProfiles {

    private final EventAppender log;

    CustomerProfiles(EventAppender log) {
        this.log = log;
    }

    /**
     * Records a customer's profile, replacing the previous one; returns the record's offset. With an idempotency key
     * (scoped by the caller to this customer and operation) it is recorded at most once, and refused with
     * {@code IdempotencyKeyReusedException} if the key comes back with another request fingerprint.
     *
     * @param idempotencyKey     the key, or {@code null} for none
     * @param requestFingerprint what the key was given for, or {@code null} for no check
     */
    public long change(String customerId, String name, String email, String idempotencyKey,
                       String requestFingerprint) {
        NewEvent profile = NewEvent.of(new CustomerProfileChanged(customerId, name, email))
                .withCompactionKey(CustomerEvents.key(customerId));
        return append(customerId, profile, idempotencyKey, requestFingerprint);
    }

    /** Erases a customer's profile with a tombstone, at most once per idempotency key; returns its offset. */
    public long erase(String customerId, String idempotencyKey, String requestFingerprint) {
        NewEvent tombstone = NewEvent.tombstone(CustomerEvents.key(customerId), new CustomerProfileErased(customerId));
        return append(customerId, tombstone, idempotencyKey, requestFingerprint);
    }

    private long append(String customerId, NewEvent event, String idempotencyKey, String requestFingerprint) {
        AppendRequest request = AppendRequest.to(CustomerEvents.stream(customerId), ExpectedVersion.any(),
                List.of(event)).withIdempotencyKey(idempotencyKey, requestFingerprint);
        return log.append(request).result().toOffset();
    }
}
