package dev.kappa.activity;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;

/**
 * A second application beside the bank: its own process and its own database, with no access to the bank's. It reads
 * the bank's log from Kafka (the topic the bank's relay writes) into an account-activity read model, and serves it
 * over HTTP. It knows the bank's events only as JSON with a type name, never the bank's classes.
 */
@SpringBootApplication
public class ActivityApplication {

    /**
     * Its settings are in {@code activity.yml}, not {@code application.yml}, so that it can run in one JVM beside the
     * bank (as the bank's end-to-end test runs them) without either reading the other's.
     */
    static final String CONFIG_NAME = "activity";

    private static final Logger log = LoggerFactory.getLogger(ActivityApplication.class);

    public static void main(String[] args) {
        application().run(args);
    }

    /** The application, set to read {@code activity.yml}. */
    public static SpringApplication application() {
        SpringApplication application = new SpringApplication(ActivityApplication.class);
        application.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAME));
        return application;
    }

    @EventListener
    void announce(ApplicationReadyEvent ready) {
        if (ready.getApplicationContext() instanceof WebServerApplicationContext web && web.getWebServer() != null) {
            log.info("Kappa account activity is running at http://localhost:{}", web.getWebServer().getPort());
        }
    }
}
