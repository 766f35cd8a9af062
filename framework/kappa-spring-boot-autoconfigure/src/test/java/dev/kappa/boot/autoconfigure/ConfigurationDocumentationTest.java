package dev.kappa.boot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/configuration.md lists every {@code kappa.*} property, with the default the code has. */
class ConfigurationDocumentationTest {

    private static final Path DOCUMENT = Path.of("../../docs/configuration.md");
    /**
     * Prefixes of the properties that modules built after this one define (their metadata is not on this class path):
     * each such module checks its own rows.
     */
    private static final List<String> OTHER_MODULES = List.of("kappa.console.");

    @Test
    void everyKappaPropertyIsDocumentedWithItsDefault() throws IOException {
        String document = Files.readString(DOCUMENT);
        List<String> missing = new ArrayList<>();
        List<JsonNode> properties = kappaProperties();
        for (JsonNode property : properties) {
            String name = property.get("name").asString();
            JsonNode value = property.get("defaultValue");
            String defaultValue = value == null || value.isNull() ? "(none)" : "`" + value.asString() + "`";
            String row = "| `" + name + "` | " + defaultValue + " |";
            if (!document.contains(row)) {
                missing.add(row);
            }
        }

        assertThat(properties).as("kappa.* properties in the metadata").hasSizeGreaterThan(30);
        assertThat(missing).as("rows missing from %s, or with another default", DOCUMENT).isEmpty();
    }

    @Test
    void theDocumentNamesNoPropertyTheCodeDoesNotHave() throws IOException {
        List<String> known = kappaProperties().stream().map(property -> property.get("name").asString()).toList();
        List<String> documented = Files.readAllLines(DOCUMENT).stream()
                .filter(line -> line.startsWith("| `kappa."))
                .map(line -> line.substring(3, line.indexOf('`', 3)))
                .filter(name -> OTHER_MODULES.stream().noneMatch(name::startsWith))
                .toList();

        assertThat(known).containsAll(documented);
    }

    private static List<JsonNode> kappaProperties() throws IOException {
        try (InputStream metadata = ConfigurationDocumentationTest.class
                .getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(metadata).as("the generated configuration metadata").isNotNull();
            List<JsonNode> properties = new ArrayList<>();
            for (JsonNode property : JsonMapper.builder().build().readTree(metadata).get("properties")) {
                if (property.get("name").asString().startsWith("kappa.")) {
                    properties.add(property);
                }
            }
            return properties;
        }
    }
}
