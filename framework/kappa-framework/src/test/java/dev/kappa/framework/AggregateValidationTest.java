package dev.kappa.framework;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start-up validation of aggregate classes: one test per problem, each message naming class and method. */
class AggregateValidationTest {

    record Create(@TargetAggregateId String id) {
    }

    record Act(@TargetAggregateId String id) {
    }

    record Untargeted(String id) {
    }

    record Created(String id) {
    }

    record Acted(String id) {
    }

    static class NotAnnotated {
    }

    @Aggregate
    static class NoConstructor {
        @AggregateId
        String id;

        NoConstructor(String id) {
            this.id = id;
        }

        @CommandHandler
        static Created create(Create command) {
            return new Created(command.id());
        }

        @EventSourcingHandler
        void on(Created event) {
        }
    }

    @Aggregate
    static class NoId {
        @CommandHandler
        static Created create(Create command) {
            return new Created(command.id());
        }

        @EventSourcingHandler
        void on(Created event) {
        }
    }

    @Aggregate
    static class TwoIds {
        @AggregateId
        String id;
        @AggregateId
        String otherId;

        @CommandHandler
        static Created create(Create command) {
            return new Created(command.id());
        }

        @EventSourcingHandler
        void on(Created event) {
        }
    }

    @Aggregate
    static class CommandHandledTwice {
        @AggregateId
        String id;

        @CommandHandler
        static Created create(Create command) {
            return new Created(command.id());
        }

        @CommandHandler
        Acted act(Act command) {
            return new Acted(id);
        }

        @CommandHandler
        Acted actAgain(Act command) {
            return new Acted(id);
        }

        @EventSourcingHandler
        void on(Created event) {
        }

        @EventSourcingHandler
        void on(Acted event) {
        }
    }

    @Aggregate
    static class EmitsWithoutSourcingHandler {
        @AggregateId
        String id;

        @CommandHandler
        static Created create(Create command) {
            return new Created(command.id());
        }

        @CommandHandler
        List<Acted> act(Act command) {
            return List.of(new Acted(id));
        }

        @EventSourcingHandler
        void on(Created event) {
        }
    }

    @Aggregate
    static class HandlerWithoutParameters {
        @AggregateId
        String id;

        @CommandHandler
        static Created create() {
            return new Created("x");
        }

        @EventSourcingHandler
        void on(Created event) {
        }
    }

    @Aggregate
    static class HandlerWithWrongSecondParameter {
        @AggregateId
        String id;

        @CommandHandler
        static Created create(Create command, String user) {
            return new Created(command.id());
        }

        @EventSourcingHandler
        void on(Created event) {
        }
    }

    @Aggregate
    static class SourcingHandlerWithTwoParameters {
        @AggregateId
        String id;

        @CommandHandler
        static Created create(Create command) {
            return new Created(command.id());
        }

        @EventSourcingHandler
        void on(Created event, String extra) {
        }
    }

    @Aggregate
    static class SourcingHandlerReturningSomething {
        @AggregateId
        String id;

        @CommandHandler
        static Created create(Create command) {
            return new Created(command.id());
        }

        @EventSourcingHandler
        Created on(Created event) {
            return event;
        }
    }

    @Aggregate
    static class NoCreatingHandler {
        @AggregateId
        String id;

        @CommandHandler
        Acted act(Act command) {
            return new Acted(id);
        }

        @EventSourcingHandler
        void on(Acted event) {
        }
    }

    @Aggregate
    static class UntargetedCommand {
        @AggregateId
        String id;

        @CommandHandler
        static Created create(Create command) {
            return new Created(command.id());
        }

        @CommandHandler
        Acted act(Untargeted command) {
            return new Acted(id);
        }

        @EventSourcingHandler
        void on(Created event) {
        }

        @EventSourcingHandler
        void on(Acted event) {
        }
    }

    @Test
    void aClassWithoutAggregateIsRejected() {
        assertProblem(NotAnnotated.class, "NotAnnotated is not annotated with @Aggregate");
    }

    @Test
    void anAggregateWithoutANoArgumentConstructorIsRejected() {
        assertProblem(NoConstructor.class, "NoConstructor has no no-argument constructor; add one (it may be private)");
    }

    @Test
    void anAggregateWithoutAggregateIdIsRejected() {
        assertProblem(NoId.class, "NoId has no @AggregateId field");
    }

    @Test
    void anAggregateWithTwoAggregateIdsIsRejected() {
        assertProblem(TwoIds.class, "TwoIds has two @AggregateId fields, id and otherId");
    }

    @Test
    void aCommandHandledTwiceIsRejectedNamingBothMethods() {
        assertProblem(CommandHandledTwice.class, "Act is handled twice, by CommandHandledTwice.act(Act) and"
                + " CommandHandledTwice.actAgain(Act)");
    }

    @Test
    void anEventEmittedWithoutAnEventSourcingHandlerIsRejected() {
        assertProblem(EmitsWithoutSourcingHandler.class, "EmitsWithoutSourcingHandler.act(Act) returns Acted, which no"
                + " @EventSourcingHandler of EmitsWithoutSourcingHandler takes");
    }

    @Test
    void aCommandHandlerWithoutParametersIsRejected() {
        assertProblem(HandlerWithoutParameters.class, "@CommandHandler HandlerWithoutParameters.create() must take the"
                + " command, and optionally its CommandMessage, but takes 0 parameters");
    }

    @Test
    void aCommandHandlerWithAWrongSecondParameterIsRejected() {
        assertProblem(HandlerWithWrongSecondParameter.class, "@CommandHandler"
                + " HandlerWithWrongSecondParameter.create(Create, String) may take a CommandMessage as its second"
                + " parameter, not String");
    }

    @Test
    void anEventSourcingHandlerWithTwoParametersIsRejected() {
        assertProblem(SourcingHandlerWithTwoParameters.class, "@EventSourcingHandler"
                + " SourcingHandlerWithTwoParameters.on(Created, String) must take exactly one parameter");
    }

    @Test
    void anEventSourcingHandlerReturningAValueIsRejected() {
        assertProblem(SourcingHandlerReturningSomething.class, "@EventSourcingHandler"
                + " SourcingHandlerReturningSomething.on(Created) must return void");
    }

    @Test
    void anAggregateNothingCanCreateIsRejected() {
        assertProblem(NoCreatingHandler.class, "NoCreatingHandler has no static @CommandHandler to create it");
    }

    @Test
    void aCommandOnAnExistingAggregateWithoutTargetAggregateIdIsRejected() {
        assertProblem(UntargetedCommand.class, "Untargeted, handled by UntargetedCommand.act(Untargeted), has no"
                + " @TargetAggregateId");
    }

    @Test
    void everyProblemOfAClassIsReportedAtOnce() {
        @Aggregate
        class Broken {
            @CommandHandler
            Acted act(Untargeted command) {
                return new Acted("x");
            }
        }

        assertThatThrownBy(() -> AggregateModel.of(Broken.class))
                .isInstanceOfSatisfying(AggregateConfigurationException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(4))
                .hasMessageContaining("problems with aggregate classes");
    }

    private static void assertProblem(Class<?> aggregate, String message) {
        assertThatThrownBy(() -> AggregateModel.of(aggregate))
                .isInstanceOf(AggregateConfigurationException.class)
                .hasMessageContaining(message);
    }
}
