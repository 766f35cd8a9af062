package dev.kappa.eventstore.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class HandlersByTypeTest {

    sealed interface AccountEvent permits Opened, Closed {
    }

    interface Audited {
    }

    record Opened(String owner) implements AccountEvent, Audited {
    }

    record Closed() implements AccountEvent {
    }

    private static HandlersByType<String> handlers(Object... typesAndNames) {
        Map<Class<?>, String> byType = new LinkedHashMap<>();
        for (int i = 0; i < typesAndNames.length; i += 2) {
            byType.put((Class<?>) typesAndNames[i], (String) typesAndNames[i + 1]);
        }
        return new HandlersByType<>(byType);
    }

    @Test
    void theHandlerOfTheClassItselfWinsOverItsSupertypes() {
        HandlersByType<String> handlers = handlers(AccountEvent.class, "any", Opened.class, "opened");

        assertThat(handlers.find(Opened.class)).contains("opened");
        assertThat(handlers.find(Closed.class)).contains("any");
    }

    @Test
    void aClassNoHandlerTakesHasNone() {
        assertThat(handlers(Opened.class, "opened").find(Closed.class)).isEmpty();
    }

    @Test
    void twoUnrelatedSupertypesAreAmbiguousAndNamedInRegistrationOrder() {
        HandlersByType<String> handlers = handlers(AccountEvent.class, "account", Audited.class, "audit");

        AmbiguousHandlersException ambiguity = catchThrowableOfType(AmbiguousHandlersException.class,
                () -> handlers.find(Opened.class));

        assertThat(ambiguity.eventClass()).isEqualTo(Opened.class);
        assertThat(ambiguity.handlers()).asList().containsExactly("account", "audit");
        assertThat(ambiguity).hasMessageContaining("add one for Opened itself");
        // an ambiguity is not cached away: it is reported again
        assertThat(catchThrowableOfType(AmbiguousHandlersException.class, () -> handlers.find(Opened.class)))
                .isNotNull();
        assertThat(handlers.find(Closed.class)).contains("account");
    }

    @Test
    void aMoreSpecificSupertypeSettlesWhatWouldBeAmbiguous() {
        HandlersByType<String> handlers = handlers(Object.class, "anything", AccountEvent.class, "account");

        assertThat(handlers.find(Opened.class)).contains("account");
        assertThat(handlers.eventTypes()).containsExactly(Object.class, AccountEvent.class);
    }
}
