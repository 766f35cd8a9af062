package dev.kappa.boot.autoconfigure.broken;

import dev.kappa.framework.Aggregate;
import dev.kappa.framework.CommandHandler;
import dev.kappa.framework.EventSourcingHandler;

/** An aggregate with two mistakes: no @AggregateId, and a command handler that takes no command type. */
@Aggregate
public class BrokenAccount {

    public record Open(String id) {
    }

    public record Opened(String id) {
    }

    public record Renamed(String id) {
    }

    @CommandHandler
    static Opened open(Open command) {
        return new Opened(command.id());
    }

    @CommandHandler
    static Renamed rename(String name) {
        return new Renamed(name);
    }

    @EventSourcingHandler
    void on(Opened event) {
    }
}
