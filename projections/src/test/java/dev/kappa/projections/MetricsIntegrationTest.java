package dev.kappa.projections;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static dev.kappa.projections.TestEvents.deposited;
import static dev.kappa.projections.TestEvents.poison;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Micrometer gauges and counters per projection and segment, when a registry is given; nothing Micrometer else. */
class MetricsIntegrationTest extends ProjectionIntegrationTest {

    MetricsIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void workersPublishTheirCheckpointLagAndCountersWhenARegistryIsGiven() throws Exception {
        for (int i = 1; i <= 10; i++) {
            append("s", deposited(i));
        }
        append("pill", poison("bad"));
        MeterRegistry registry = new SimpleMeterRegistry();
        ProjectionRuntime runtime = runtime(builder -> builder.meterRegistry(registry),
                new RecordingProjection.Parking(dataSource));
        runtime.start();
        long head = awaitHead(runtime, "parking");

        Tags tags = Tags.of("projection", "parking", "generation", "1", "segment", "0");
        // the gauges must survive a garbage collection: Micrometer holds their object weakly unless told otherwise
        System.gc();
        await().atMost(PATIENCE).until(() -> registry.get("kappa.projection.checkpoint").tags(tags).gauge().value()
                == head);
        assertThat(registry.get("kappa.projection.lag").tags(tags).gauge().value()).isZero();
        assertThat(registry.get("kappa.projection.failed").tags(tags).gauge().value()).isZero();
        assertThat(registry.get("kappa.projection.events").tags(tags).counter().count()).isEqualTo(10);
        assertThat(registry.get("kappa.projection.retries").tags(tags).counter().count()).isEqualTo(2);
        assertThat(registry.get("kappa.projection.dead.letters").tags(tags).counter().count()).isEqualTo(1);

        runtime.close();
        assertThat(registry.find("kappa.projection.checkpoint").gauges()).isEmpty();
    }

    @Test
    void theRuntimeRunsWithoutMicrometerMetricsOnTheClassPath() throws Exception {
        // micrometer-core, the metrics, is optional; the Observation API (micrometer-observation) is a dependency
        try (URLClassLoader withoutMicrometer = new URLClassLoader(classPathWithout("micrometer-core"),
                ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> withoutMicrometer.loadClass("io.micrometer.core.instrument.MeterRegistry"))
                    .isInstanceOf(ClassNotFoundException.class);

            Object applied = withoutMicrometer.loadClass(WithoutMicrometer.class.getName())
                    .getMethod("countEvents", DataSource.class).invoke(null, dataSource);

            assertThat(applied).isEqualTo(3L);
        }
    }

    /** Runs in a class loader without Micrometer's metrics: appends three events and counts them with a projection. */
    public static final class WithoutMicrometer {
        public static long countEvents(DataSource dataSource) throws Exception {
            try (var store = dev.kappa.eventstore.EventStore.builder(dataSource).codec(TestEvents.codec()).build();
                 ProjectionRuntime runtime = ProjectionRuntime.builder(dataSource, store).build()) {
                runtime.register(new CountingProjection(dataSource));
                runtime.start();
                long head = 0;
                for (int i = 0; i < 3; i++) {
                    head = store.append("s", dev.kappa.eventstore.ExpectedVersion.any(), List.of(deposited(i)))
                            .toOffset();
                }
                runtime.awaitCheckpoint("event-counts", head, PATIENCE);
                return new Sql(dataSource).queryLong("SELECT events FROM event_counts WHERE stream_id = 's'");
            }
        }
    }

    /** The test class path (surefire hands it over in a manifest-only jar), less the entries naming {@code word}. */
    private static URL[] classPathWithout(String word) throws IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith("surefirebooter.jar") || entry.contains("surefirebooter")) {
                try (JarFile jar = new JarFile(entry)) {
                    String manifestPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
                    for (String url : manifestPath.split(" ")) {
                        entries.add(new File(java.net.URI.create(url)).getPath());
                    }
                }
            } else {
                entries.add(entry);
            }
        }
        List<URL> urls = new ArrayList<>();
        for (String entry : entries) {
            if (!entry.contains(word)) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }
}
