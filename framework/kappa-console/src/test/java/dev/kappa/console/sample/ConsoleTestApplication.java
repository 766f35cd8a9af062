package dev.kappa.console.sample;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Component;

import dev.kappa.eventstore.EventType;
import dev.kappa.projections.EventHandler;
import dev.kappa.projections.FailureMode;
import dev.kappa.projections.Projection;
import dev.kappa.projections.ResetHandler;

/**
 * An application with a console (in a package of its own: scanning dev.kappa.console would find the console's own
 * controllers), secured as the contract expects (credentials demanded at {@code /kappa/sign-in},
 * HTTP basic): an operator who holds role OPERATOR, a viewer who does not, and three projections of the same events —
 * one that counts them, one that stops at a poison event, one that parks it as a dead letter.
 */
@SpringBootApplication
public class ConsoleTestApplication {

    public static final String PASSWORD = "secret";

    @EventType("Noted")
    public record Noted(String text) {
    }

    @EventType("Poisoned")
    public record Poisoned(String why) {
    }

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/kappa/sign-in").authenticated()
                        .anyRequest().permitAll())
                .httpBasic(Customizer.withDefaults())
                // actions take JSON bodies only: a cross-site form cannot send one
                .csrf(csrf -> csrf.ignoringRequestMatchers("/kappa/projections/**"))
                .build();
    }

    @Bean
    InMemoryUserDetailsManager users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("operator").password("{noop}" + PASSWORD).roles("OPERATOR").build(),
                User.withUsername("viewer").password("{noop}" + PASSWORD).roles("VIEWER").build());
    }

    /** Counts every event; reset only to 0 (its reset handler knows no offsets). */
    @Component
    @Projection("counter")
    public static class Counter {

        final AtomicLong events = new AtomicLong();

        @EventHandler
        void on(Noted event) {
            events.incrementAndGet();
        }

        @EventHandler
        void on(Poisoned event) {
            events.incrementAndGet();
        }

        @ResetHandler
        void reset() {
            events.set(0);
        }
    }

    /** Stops at a poison event (its failure mode is STOP). */
    @Component
    @Projection("strict")
    public static class Strict {

        @EventHandler
        void on(Noted event) {
        }

        @EventHandler
        void on(Poisoned event) {
            throw new IllegalArgumentException("cannot apply " + event.why());
        }

        @ResetHandler
        void reset() {
        }
    }

    /** Parks a poison event as a dead letter and moves on. */
    @Component
    @Projection(value = "lenient", onFailure = FailureMode.DEAD_LETTER)
    public static class Lenient {

        @EventHandler
        void on(Noted event) {
        }

        @EventHandler
        void on(Poisoned event) {
            throw new IllegalArgumentException("still cannot apply " + event.why());
        }

        @ResetHandler
        void reset() {
        }
    }
}
