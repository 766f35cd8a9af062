package dev.kappa.bank;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.data.web.config.EnableSpringDataWebSupport;

/**
 * Kappa's example bank: accounts as event-sourced aggregates, transfers as a process driven by a reactor,
 * read models in PostgreSQL (Spring Data JDBC) and in memory (Caffeine), customer profiles as compacted records.
 */
@SpringBootApplication
@EnableSpringDataWebSupport(pageSerializationMode = EnableSpringDataWebSupport.PageSerializationMode.VIA_DTO)
public class BankApplication {

    private static final Logger log = LoggerFactory.getLogger(BankApplication.class);

    public static void main(String[] args) {
        SpringApplication.run(BankApplication.class, args);
    }

    @EventListener
    void announce(ApplicationReadyEvent ready) {
        if (ready.getApplicationContext() instanceof WebServerApplicationContext web && web.getWebServer() != null) {
            int port = web.getWebServer().getPort();
            log.info("Kappa bank is running at http://localhost:{} (API documentation at"
                    + " http://localhost:{}/swagger-ui.html)", port, port);
        }
    }
}
