package dev.kappa.bank.transfer;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.bank.ReadModels;
import dev.kappa.bank.transfer.TransferMessages.TransferCompleted;
import dev.kappa.bank.transfer.TransferMessages.TransferDebited;
import dev.kappa.bank.transfer.TransferMessages.TransferFailed;
import dev.kappa.bank.transfer.TransferMessages.TransferRequested;
import dev.kappa.bank.transfer.TransferMessages.TransferReversed;
import dev.kappa.test.ProjectionFixture;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code transfers} read model, given a transfer's events. */
class TransfersProjectionTest {

    private static final TransferRequested REQUESTED = new TransferRequested("t-1", "a", "b", 250, "EUR");

    @Test
    void aTransferIsListedWhenRequestedAndFollowsEachStep() {
        try (ReadModels readModels = ReadModels.start();
             ProjectionFixture<TransfersProjection> fixture = fixture(readModels)) {
            fixture.givenStream("transfer-t-1", REQUESTED);
            assertThat(fixture.rows("transfers")).containsExactly(transfer("t-1", "REQUESTED", null));

            fixture.givenStream("transfer-t-1", new TransferDebited("t-1"));
            assertThat(fixture.rows("transfers")).containsExactly(transfer("t-1", "DEBITED", null));

            fixture.givenStream("transfer-t-1", new TransferCompleted("t-1"));
            assertThat(fixture.rows("transfers")).containsExactly(transfer("t-1", "COMPLETED", null));
        }
    }

    @Test
    void aFailedOrReversedTransferKeepsItsReason() {
        try (ReadModels readModels = ReadModels.start();
             ProjectionFixture<TransfersProjection> fixture = fixture(readModels)) {
            fixture.givenStream("transfer-t-1", REQUESTED, new TransferFailed("t-1", "account 'a' is frozen"));
            fixture.givenStream("transfer-t-2", new TransferRequested("t-2", "a", "b", 250, "EUR"),
                    new TransferDebited("t-2"), new TransferReversed("t-2", "account 'b' is closed"));

            assertThat(fixture.rows("transfers")).containsExactly(
                    transfer("t-1", "FAILED", "account 'a' is frozen"),
                    transfer("t-2", "REVERSED", "account 'b' is closed"));
        }
    }

    @Test
    void aResetClearsTheTransfersAndReplaysTheLog() {
        try (ReadModels readModels = ReadModels.start();
             ProjectionFixture<TransfersProjection> fixture = fixture(readModels)) {
            fixture.givenStream("transfer-t-1", REQUESTED, new TransferDebited("t-1"));
            readModels.repository(JdbcTemplate.class).update("UPDATE transfers SET status = 'TAMPERED'");

            fixture.reset(0);

            assertThat(fixture.rows("transfers")).containsExactly(transfer("t-1", "DEBITED", null));
        }
    }

    private static ProjectionFixture<TransfersProjection> fixture(ReadModels readModels) {
        return ProjectionFixture.of(new TransfersProjection(readModels.repository(TransferViewRepository.class)))
                .on(readModels.dataSource());
    }

    /** A transfer's row: a → b, 250 EUR. */
    private static Map<String, Object> transfer(String id, String status, String reason) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("transfer_id", id);
        row.put("from_account_id", "a");
        row.put("to_account_id", "b");
        row.put("amount", 250L);
        row.put("currency", "EUR");
        row.put("status", status);
        row.put("reason", reason);
        return row;
    }
}
