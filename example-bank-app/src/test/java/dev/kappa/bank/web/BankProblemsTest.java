package dev.kappa.bank.web;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import dev.kappa.eventstore.AppendOutcomeUnknownException;
import dev.kappa.eventstore.EventStoreException;

import static org.assertj.core.api.Assertions.assertThat;

/** A failed database is a 503 problem the client can act on, never a bare 500. */
class BankProblemsTest {

    private final BankProblems problems = new BankProblems();

    @Test
    void aWriteWhoseOutcomeIsUnknownTellsTheClientToRetryWithTheSameKey() {
        ResponseEntity<ProblemDetail> answer = problems.outcomeUnknown(new AppendOutcomeUnknownException(
                "the database connection was lost while committing the append to stream 'account-ada'", null));

        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(answer.getBody().getType().toString()).endsWith("/outcome-unknown");
        assertThat(answer.getBody().getDetail()).contains("stream 'account-ada'")
                .contains("Send the request again with the same Idempotency-Key");
    }

    @Test
    void aFailedDatabaseIsAProblemThatSaysWhatHappened() {
        ResponseEntity<ProblemDetail> answer = problems.storeFailed(
                new EventStoreException("could not append to stream 'account-ada': disk full; nothing was written"));

        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(answer.getBody().getType().toString()).endsWith("/store-unavailable");
        assertThat(answer.getBody().getDetail()).isEqualTo(
                "could not append to stream 'account-ada': disk full; nothing was written");
    }
}
