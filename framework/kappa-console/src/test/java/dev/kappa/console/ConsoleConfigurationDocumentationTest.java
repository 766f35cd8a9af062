package dev.kappa.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md lists every {@code kappa.console.*} property with the default the code has, and no other (the
 * auto-configuration module's test checks the rest of the table).
 */
class ConsoleConfigurationDocumentationTest {

    private static final Path DOCUMENT = Path.of("../../docs/configuration.md");
    private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

    @Test
    void everyConsolePropertyIsDocumentedWithItsDefault() throws IOException {
        String document = Files.readString(DOCUMENT);
        List<String> missing = new ArrayList<>();
        for (JsonNode property : consoleProperties()) {
            JsonNode value = property.get("defaultValue");
            String row = "| `" + property.get("name").asString() + "` | "
                    + (value == null || value.isNull() ? "(none)" : "`" + value.asString() + "`") + " |";
            if (!document.contains(row)) {
                missing.add(row);
            }
        }

        assertThat(consoleProperties()).hasSize(6);
        assertThat(missing).as("rows missing from %s, or with another default", DOCUMENT).isEmpty();
    }

    @Test
    void theDocumentNamesNoConsolePropertyTheCodeDoesNotHave() throws IOException {
        List<String> known = consoleProperties().stream().map(property -> property.get("name").asString()).toList();
        List<String> documented = Files.readAllLines(DOCUMENT).stream()
                .filter(line -> line.startsWith("| `kappa.console."))
                .map(line -> line.substring(3, line.indexOf('`', 3)))
                .toList();

        assertThat(known).containsExactlyInAnyOrderElementsOf(documented);
    }

    private static List<JsonNode> consoleProperties() throws IOException {
        assertThat(METADATA).as("the generated configuration metadata").exists();
        List<JsonNode> properties = new ArrayList<>();
        for (JsonNode property : JsonMapper.builder().build().readTree(METADATA.toFile()).get("properties")) {
            if (property.get("name").asString().startsWith("kappa.console.")) {
                properties.add(property);
            }
        }
        return properties;
    }
}
