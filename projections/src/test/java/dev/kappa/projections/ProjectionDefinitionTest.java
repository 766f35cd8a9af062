package dev.kappa.projections;

import org.junit.jupiter.api.Test;

import dev.kappa.projections.internal.model.ProjectionDefinition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A projection class is checked when it is registered, with messages that say what to change. */
class ProjectionDefinitionTest {

    @Test
    void aValidProjectionIsRead() {
        ProjectionDefinition definition = ProjectionDefinition.of(new Valid(), 256);

        assertThat(definition.name()).isEqualTo("valid");
        assertThat(definition.version()).isEqualTo(3);
        assertThat(definition.declaredSegments()).isEqualTo(2);
        assertThat(definition.failureMode()).contains(FailureMode.DEAD_LETTER);
        assertThat(definition.blueGreen()).isTrue();
        assertThat(definition.tables(7).name("things")).isEqualTo("things_g7");
        assertThat(definition.handlers()).hasSize(2);
        assertThat(definition.hasResetHandler()).isTrue();
    }

    @Test
    void aHandlerOverriddenWithoutTheAnnotationIsStillAHandler() {
        assertThat(ProjectionDefinition.of(new Overriding(), 256).handlers()).hasSize(1);
    }

    @Test
    void aClassWithoutTheAnnotationIsRefused() {
        assertThatThrownBy(() -> ProjectionDefinition.of(new Object(), 256))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("java.lang.Object is not annotated @Projection(\"name\")");
    }

    @Test
    void mistakesAreNamedWithTheProjectionAndTheMethod() {
        assertRefused(new NoHandler(), "has no @EventHandler method");
        assertRefused(new BadName(), "a projection name must be 1 to 100 letters");
        assertRefused(new TooManySegments(), "declares 300 segments; declare 1 to 256");
        assertRefused(new ContextFirst(), "@EventHandler on(EventContext, Object) must take the event, and optionally"
                + " an EventContext after it");
        assertRefused(new ReturnsSomething(), "@EventHandler on(String) must return void");
        assertRefused(new TwoHandlersForOneType(), "has two @EventHandler methods for String");
        assertRefused(new TablesWithoutCreate(), "declares tables [things] but no @CreateTables method");
        assertRefused(new BadTable(), "declares the table 'Things'");
        assertRefused(new InMemoryWithTables(), "is in memory and so cannot declare tables");
        assertRefused(new TwoResetHandlers(), "has two @ResetHandler methods");
        assertRefused(new OffsetResetWithoutContext(), "@ResetHandler(toOffset = true) method reset must take a"
                + " ResetContext");
    }

    @Test
    void aResetHandlerResetsToAnOffsetOnlyWhenItSaysSo() {
        assertThat(ProjectionDefinition.of(new Valid(), 256).resetsToOffset()).isFalse();
        assertThat(ProjectionDefinition.of(new NoTables(), 256).resetsToOffset()).isFalse();
        assertThat(ProjectionDefinition.of(new OffsetAware(), 256).resetsToOffset()).isTrue();
    }

    @Test
    void tableNamesOfAProjectionWithoutTablesAreLeftAlone() {
        assertThat(ProjectionDefinition.of(new NoTables(), 256).tables(4).name("anything")).isEqualTo("anything");
        assertThatThrownBy(() -> ProjectionDefinition.of(new Valid(), 256).tables(1).name("other"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not declare the table 'other'");
    }

    private static void assertRefused(Object projection, String message) {
        assertThatThrownBy(() -> ProjectionDefinition.of(projection, 256))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(projection.getClass().getName())
                .hasMessageContaining(message);
    }

    @Projection(value = "valid", version = 3, segments = 2, tables = "things", onFailure = FailureMode.DEAD_LETTER)
    static final class Valid {
        @EventHandler
        void on(String event) {
        }

        @EventHandler
        void on(CharSequence event, EventContext context) {
        }

        @ResetHandler
        void reset(ResetContext context) {
        }

        @CreateTables
        void create(ProjectionTables tables) {
        }
    }

    @Projection("base")
    static class Base {
        @EventHandler
        void on(String event) {
        }
    }

    @Projection("overriding")
    static final class Overriding extends Base {
        @Override
        void on(String event) {
        }
    }

    @Projection("no-tables")
    static final class NoTables {
        @EventHandler
        void on(String event) {
        }
    }

    @Projection("no-handler")
    static final class NoHandler {
    }

    @Projection("bad name!")
    static final class BadName {
        @EventHandler
        void on(String event) {
        }
    }

    @Projection(value = "too-many", segments = 300)
    static final class TooManySegments {
        @EventHandler
        void on(String event) {
        }
    }

    @Projection("context-first")
    static final class ContextFirst {
        @EventHandler
        void on(EventContext context, Object event) {
        }
    }

    @Projection("returns")
    static final class ReturnsSomething {
        @EventHandler
        String on(String event) {
            return event;
        }
    }

    @Projection("two")
    static final class TwoHandlersForOneType {
        @EventHandler
        void on(String event) {
        }

        @EventHandler
        void handle(String event, EventContext context) {
        }
    }

    @Projection(value = "tables", tables = "things")
    static final class TablesWithoutCreate {
        @EventHandler
        void on(String event) {
        }
    }

    @Projection(value = "bad-table", tables = "Things")
    static final class BadTable {
        @EventHandler
        void on(String event) {
        }

        @CreateTables
        void create(ProjectionTables tables) {
        }
    }

    @Projection(value = "memory", inMemory = true, tables = "things")
    static final class InMemoryWithTables {
        @EventHandler
        void on(String event) {
        }

        @CreateTables
        void create(ProjectionTables tables) {
        }
    }

    @Projection("resets")
    static final class TwoResetHandlers {
        @EventHandler
        void on(String event) {
        }

        @ResetHandler
        void reset() {
        }

        @ResetHandler
        void clear() {
        }
    }

    @Projection("offset-reset")
    static final class OffsetResetWithoutContext {
        @EventHandler
        void on(String event) {
        }

        @ResetHandler(toOffset = true)
        void reset() {
        }
    }

    @Projection("offset-aware")
    static final class OffsetAware {
        @EventHandler
        void on(String event) {
        }

        @ResetHandler(toOffset = true)
        void reset(ResetContext context) {
        }
    }
}
