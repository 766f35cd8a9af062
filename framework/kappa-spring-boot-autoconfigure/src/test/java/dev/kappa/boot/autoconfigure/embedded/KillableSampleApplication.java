package dev.kappa.boot.autoconfigure.embedded;

import java.util.concurrent.CountDownLatch;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.kappa.boot.autoconfigure.sample.SampleAccount;
import dev.kappa.boot.autoconfigure.sample.SampleApplication;
import dev.kappa.framework.CommandGateway;

/**
 * The sample application for {@link KilledApplicationRestartTest}, run in a JVM of its own on the embedded PostgreSQL
 * with the data directory given as argument: it opens account 7, prints {@code ready} and waits to be killed.
 */
public final class KillableSampleApplication {

    private KillableSampleApplication() {
    }

    public static void main(String[] args) throws InterruptedException {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
                .web(WebApplicationType.NONE)
                .properties("kappa.embedded-postgres.data-directory=" + args[0])
                .run();
        context.getBean(CommandGateway.class).sendAndWait(new SampleAccount.Open("7", "Ada"));
        System.out.println("ready");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
