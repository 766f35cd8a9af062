package dev.kappa.framework.internal.gateway;

import java.util.function.Function;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import dev.kappa.eventstore.ConcurrencyException;
import dev.kappa.framework.AggregateModel;
import dev.kappa.framework.CommandMessage;

/**
 * Micrometer observations of commands ({@value #COMMAND}), with the command's and its aggregate's types and the
 * outcome as low-cardinality key values. A command's observation is current while it runs, so that its append (and
 * whatever else it observes) becomes its child. With a registry that observes nothing ({@link
 * ObservationRegistry#isNoop()}), the command simply runs.
 *
 * <p>Thread-safe: it holds nothing but the registry.
 */
final class CommandObservations {

    static final String COMMAND = "kappa.command";

    private final ObservationRegistry registry;

    CommandObservations(ObservationRegistry registry) {
        this.registry = registry;
    }

    /** Whether nothing is observed: a command can simply run. */
    boolean off() {
        return registry.isNoop();
    }

    /** The observation current on this thread, to parent a command run on another; {@code null} if none. */
    Observation current() {
        return registry.isNoop() ? null : registry.getCurrentObservation();
    }

    /**
     * Runs {@code handling} observed, as a child of {@code parent} or, if that is {@code null}, of the current
     * observation.
     *
     * @param model the command's aggregate, or {@code null} if it has none
     */
    <R> R observe(CommandMessage<?> message, AggregateModel<?> model, Observation parent,
                  Function<CommandMessage<?>, R> handling) {
        if (registry.isNoop()) {
            return handling.apply(message);
        }
        Observation observation = Observation.createNotStarted(COMMAND, registry)
                .lowCardinalityKeyValue("kappa.command.type", message.command().getClass().getSimpleName())
                .lowCardinalityKeyValue("kappa.aggregate.type",
                        model == null ? "none" : model.aggregateClass().getSimpleName())
                .highCardinalityKeyValue("kappa.command.id", message.commandId().toString());
        if (parent != null) {
            observation.parentObservation(parent);
        }
        observation.start();
        String outcome = "failure";
        try (Observation.Scope scope = observation.openScope()) {
            R result = handling.apply(message);
            outcome = "success";
            return result;
        } catch (ConcurrencyException e) {
            outcome = "conflict";
            observation.error(e);
            throw e;
        } catch (RuntimeException | Error e) {
            observation.error(e);
            throw e;
        } finally {
            observation.lowCardinalityKeyValue("kappa.outcome", outcome);
            observation.stop();
        }
    }
}
