package dev.kappa.eventstore;

import java.util.List;

/**
 * Receives the records of a {@link Subscription}, a batch at a time, in offset order.
 */
@FunctionalInterface
public interface LogBatchHandler {

    /**
     * Handles one batch. A batch is never empty.
     *
     * @throws Exception to stop the subscription at this batch; the failure is kept in {@link Subscription#failure()}
     */
    void handle(List<LogRecord> batch) throws Exception;
}
