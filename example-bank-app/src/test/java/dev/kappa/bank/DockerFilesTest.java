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
 * ids of their own for several instances, a host port for each, the operator's password required, a build context
 * of nothing but the jar the Dockerfile copies; Kafka in KRaft mode, the bank relaying to it, and the activity
 * application reading it into a database of its own.
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

    @Test
    void kafkaRunsInKraftModeWithoutZookeeperAndTheBankRelaysToIt() throws IOException {
        Map<String, Object> services = services();
        Map<?, ?> kafka = (Map<?, ?>) services.get("kafka");
        Map<?, ?> kafkaEnvironment = (Map<?, ?>) kafka.get("environment");

        assertThat((String) kafka.get("image")).startsWith("apache/kafka:");
        assertThat(services.keySet()).noneMatch(name -> name.contains("zookeeper"));
        assertThat((String) kafkaEnvironment.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
        assertThat(kafkaEnvironment.keySet()).noneMatch(name -> ((String) name).contains("ZOOKEEPER"));
        // the bank relays (the profile kafka) to the address the broker advertises to the other containers
        assertThat(bankEnvironment().get("SPRING_PROFILES_ACTIVE")).isEqualTo("kafka");
        assertThat((String) kafkaEnvironment.get("KAFKA_ADVERTISED_LISTENERS"))
                .isEqualTo("PLAINTEXT://" + bankEnvironment().get("KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(Files.readString(Path.of("src/main/resources/application-kafka.yml")))
                .contains("${KAFKA_BOOTSTRAP_SERVERS:localhost:9092}");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theActivityApplicationReadsTheSameKafkaIntoADatabaseOfItsOwn() throws IOException {
        Map<String, Object> services = services();
        Map<?, ?> activity = (Map<?, ?>) ((Map<?, ?>) services.get("activity")).get("environment");
        String bankDatabase = (String) bankEnvironment().get("SPRING_DATASOURCE_URL");
        String activityDatabase = (String) activity.get("SPRING_DATASOURCE_URL");

        assertThat(activity.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo(bankEnvironment().get("KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(host(activityDatabase)).isNotEqualTo(host(bankDatabase));
        assertThat(services).containsKey(host(activityDatabase)).containsKey(host(bankDatabase));
        assertThat(activity.get("SPRING_DATASOURCE_USERNAME")).isNotEqualTo(bankEnvironment()
                .get("SPRING_DATASOURCE_USERNAME"));
        assertThat((String) activity.get("ACTIVITY_OPERATOR_PASSWORD")).startsWith("${ACTIVITY_OPERATOR_PASSWORD:?");
        assertThat((List<Object>) ((Map<?, ?>) services.get("activity")).get("ports")).containsExactly("8090:8090");
    }

    @Test
    void theActivityImagesBuildContextLetsInExactlyTheRunnableJarItsBuildMakes() throws IOException {
        Matcher copy = Pattern.compile("(?m)^COPY (\\S+\\.jar) ")
                .matcher(Files.readString(DOCKER.resolve("activity.Dockerfile")));
        assertThat(copy.find()).as("the activity Dockerfile's COPY of the jar").isTrue();
        List<String> rules = Files.readAllLines(DOCKER.resolve("activity.Dockerfile.dockerignore")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        String pom = Files.readString(Path.of("../example-activity-app/pom.xml"));

        assertThat(rules).containsExactly("*", "!" + copy.group(1));
        assertThat(pom).contains("<artifactId>kappa-example-activity</artifactId>")
                .contains("<classifier>exec</classifier>");
        assertThat(copy.group(1))
                .isEqualTo("example-activity-app/target/kappa-example-activity-0.1.0-SNAPSHOT-exec.jar");
    }

    /** The host of a JDBC URL: the compose service it names. */
    private static String host(String jdbcUrl) {
        Matcher host = Pattern.compile("jdbc:postgresql://([^:/]+)").matcher(jdbcUrl);
        assertThat(host.find()).as("the host of %s", jdbcUrl).isTrue();
        return host.group(1);
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
        return (Map<String, Object>) services().get("bank");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> services() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(DOCKER.resolve("docker-compose.yml")));
        return (Map<String, Object>) compose.get("services");
    }
}
