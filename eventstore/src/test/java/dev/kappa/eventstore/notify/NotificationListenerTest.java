package dev.kappa.eventstore.notify;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a listener refuses before it ever connects. */
class NotificationListenerTest {

    private final PGSimpleDataSource nowhere = new PGSimpleDataSource();

    @Test
    void aChannelThatIsNoPlainLowerCaseIdentifierIsRefusedWithWhatToUse() {
        NotificationListener.Builder builder = NotificationListener.builder(nowhere);

        for (String channel : new String[] {"Orders", "orders-changed", "1orders", "", "a;UNLISTEN *", "x".repeat(64)}) {
            assertThatThrownBy(() -> builder.channel(channel))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + channel + "'")
                    .hasMessageContaining("use letters a-z, digits and underscores");
        }
    }

    @Test
    void aListenerNeedsAChannelAndAHandler() {
        assertThatThrownBy(() -> NotificationListener.builder(nowhere).onNotification((c, p) -> { }).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("call channel(name)");
        assertThatThrownBy(() -> NotificationListener.builder(nowhere).channel("orders").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("call onNotification(handler)");
    }

    @Test
    void aListenerClosedBeforeItStartedCannotStart() {
        NotificationListener listener = NotificationListener.builder(nowhere).channel("orders")
                .onNotification((c, p) -> { }).build();

        assertThat(listener.close(Duration.ofSeconds(1))).isTrue();

        assertThatThrownBy(listener::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(listener.isListening()).isFalse();
    }
}
