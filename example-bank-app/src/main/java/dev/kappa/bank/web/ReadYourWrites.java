package dev.kappa.bank.web;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import dev.kappa.projections.CheckpointWait;
import dev.kappa.projections.ProjectionRuntime;

/**
 * Lets a client read its own writes: every write answers with the offset of its events, and a read that passes that
 * offset (the {@value #HEADER} header or the {@code offset} parameter) is served only once the read model has applied
 * it. The wait is woken by the projection's commit, not by polling.
 */
@Component
class ReadYourWrites {

    /** The header writes answer with, and reads may send back. */
    static final String HEADER = "Kappa-Offset";

    private final ProjectionRuntime projections;
    private final Duration patience;

    ReadYourWrites(ProjectionRuntime projections, @Value("${bank.read-your-writes-timeout:2s}") Duration patience) {
        this.projections = projections;
        this.patience = patience;
    }

    /**
     * Returns once {@code projection} has applied {@code offset}; at once if no offset was given.
     *
     * @throws ReadModelBehind if it has not within the wait
     */
    void await(String projection, Long offset) {
        if (offset == null || offset <= 0) {
            return;
        }
        try {
            CheckpointWait wait = projections.awaitCheckpoint(projection, offset, patience);
            if (!wait.reached()) {
                throw new ReadModelBehind(projection, offset, wait.checkpoint());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReadModelBehind(projection, offset, 0);
        }
    }

    /** The offset a read asks for: the header, else the parameter, else none. */
    static Long requested(Long header, Long parameter) {
        return header != null ? header : parameter;
    }
}
