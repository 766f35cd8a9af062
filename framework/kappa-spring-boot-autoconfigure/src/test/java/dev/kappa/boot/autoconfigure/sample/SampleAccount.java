package dev.kappa.boot.autoconfigure.sample;

import dev.kappa.eventstore.EventType;
import dev.kappa.framework.Aggregate;
import dev.kappa.framework.AggregateId;
import dev.kappa.framework.CommandHandler;
import dev.kappa.framework.EventSourcingHandler;
import dev.kappa.framework.TargetAggregateId;

/** The aggregate the auto-configuration tests find by scanning. */
@Aggregate(streamPrefix = "sample-")
public class SampleAccount {

    public record Open(@TargetAggregateId String id, String owner) {
    }

    public record Deposit(@TargetAggregateId String id, long amount) {
    }

    @EventType("SampleOpened")
    public record Opened(String id, String owner) {
    }

    @EventType("SampleDeposited")
    public record Deposited(String id, long amount) {
    }

    /** Found by scanning for @EventType alone: no aggregate applies it. */
    @EventType("SampleNoted")
    public record Noted(String text) {
    }

    @AggregateId
    private String id;
    private long balance;

    private SampleAccount() {
    }

    @CommandHandler
    static Opened open(Open command) {
        return new Opened(command.id(), command.owner());
    }

    @CommandHandler
    Deposited deposit(Deposit command) {
        return new Deposited(id, command.amount());
    }

    @EventSourcingHandler
    void on(Opened event) {
        id = event.id();
    }

    @EventSourcingHandler
    void on(Deposited event) {
        balance += event.amount();
    }
}
