package dev.kappa.bank;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What docker/ promises that can be checked without a Docker engine (there is none where Kappa is built): instance
 * ids of their own for several instances, a host port for each, the operator's password required, and a build context
 * of nothing but the jar the Dockerfile copies.
 */
class DockerFilesTest {

    private static final Path DOCKER = Path.of("../docker");

    @Test
    void everyInstanceHoldsLeasesUnderItsContainersHostname() throws IOException {
        // compose turns $$ into $: the container gets a placeholder, for Spring to complete from Docker's HOSTNAME
        String composed = ((String) bankEnvironment().get("KAPPA_PROJECTIONS_INSTANCE_ID")).replace("$$", "$");
        StandardEnvironment container = new StandardEnvironment();
        container.getPropertySources().addFirst(new SystemEnvironmentPropertySource("container",
                Map.of("KAPPA_PROJECTIONS_INSTANCE_ID", composed, "HOSTNAME", "3f2a9c1d7e0b")));

        String instanceId = Binder.get(container).bind("kappa.projections.instance-id", String.class).get();

        assertThat(instanceId).isEqualTo("bank-3f2a9c1d7e0b");
    }

    @Test
    void everyReplicaHasAHostPortOfItsOwn() throws IOException {
        Map<String, Object> bank = bankService();
        int replicas = (Integer) ((Map<?, ?>) bank.get("deploy")).get("replicas");
        List<?> ports = (List<?>) bank.get("ports");

        assertThat(replicas).isGreaterThan(1);
        assertThat(ports).hasSize(1);
        Matcher range = Pattern.compile("(\\d+)-(\\d+):8080").matcher((String) ports.get(0));
        assertThat(range.matches()).as("a host port range for %s", ports.get(0)).isTrue();
        int hostPorts = Integer.parseInt(range.group(2)) - Integer.parseInt(range.group(1)) + 1;
        assertThat(hostPorts).as("host ports for %d replicas", replicas).isGreaterThanOrEqualTo(replicas);
    }

    @Test
    void composeRefusesToStartWithoutTheOperatorsPassword() throws IOException {
        assertThat((String) bankEnvironment().get("BANK_OPERATOR_PASSWORD")).startsWith("${BANK_OPERATOR_PASSWORD:?");
    }

    @Test
    void theBuildContextLetsInExactlyTheJarTheDockerfileCopies() throws IOException {
        Matcher copy = Pattern.compile("(?m)^COPY (\\S+\\.jar) ")
                .matcher(Files.readString(DOCKER.resolve("Dockerfile")));
        assertThat(copy.find()).as("the Dockerfile's COPY of the jar").isTrue();
        List<String> rules = Files.readAllLines(DOCKER.resolve("Dockerfile.dockerignore")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();

        assertThat(rules).containsExactly("*", "!" + copy.group(1));
        assertThat(copy.group(1)).isEqualTo("example-bank-app/target/" + builtJar());
    }

    /** The name of the jar this module's build makes: artifact id and version (the parent's) from its pom. */
    private static String builtJar() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher version = Pattern.compile("<parent>.*?<version>(.+?)</version>.*?</parent>", Pattern.DOTALL)
                .matcher(pom);
        Matcher artifact = Pattern.compile("</parent>\\s*<artifactId>(.+?)</artifactId>").matcher(pom);
        assertThat(version.find() && artifact.find()).as("the bank's artifact id and version in its pom").isTrue();
        return artifact.group(1) + "-" + version.group(1) + ".jar";
    }

    private static Map<?, ?> bankEnvironment() throws IOException {
        return (Map<?, ?>) bankService().get("environment");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> bankService() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(DOCKER.resolve("docker-compose.yml")));
        return (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get("bank");
    }
}
