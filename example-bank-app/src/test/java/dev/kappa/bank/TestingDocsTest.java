package dev.kappa.bank;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples of docs/projections.md's "Testing a projection" section are the bank's own tests: each code block there
 * is, line for line (indentation aside), the parts of those tests marked "printed in docs/projections.md", in order.
 */
class TestingDocsTest {

    private static final Path DOCS = Path.of("../docs/projections.md");
    private static final String HEADING = "## Testing a projection";
    private static final String PRINTED = "// --- printed in docs/projections.md";
    private static final String END = "// --- end of the printed part ---";
    private static final List<Path> TESTS = List.of(
            Path.of("src/test/java/dev/kappa/bank/account/AccountSummaryProjectionTest.java"),
            Path.of("src/test/java/dev/kappa/bank/account/AccountCacheTest.java"),
            Path.of("src/test/java/dev/kappa/bank/transfer/TransferProcessTest.java"));

    @Test
    void theSectionsExamplesAreThePrintedPartsOfTheBanksTests() throws IOException {
        List<String> printed = new ArrayList<>();
        for (Path test : TESTS) {
            List<String> part = between(Files.readAllLines(test), PRINTED, END);
            assertThat(part).as("the printed part of %s", test).isNotEmpty();
            printed.addAll(part);
        }

        assertThat(examples()).isEqualTo(printed);
    }

    /** The code lines of the section's Java blocks, trimmed, blank lines left out. */
    private static List<String> examples() throws IOException {
        List<String> lines = Files.readAllLines(DOCS);
        int start = lines.indexOf(HEADING);
        assertThat(start).as("the '%s' section of %s", HEADING, DOCS).isNotNegative();
        List<String> code = new ArrayList<>();
        boolean inJava = false;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (line.equals("```java")) {
                inJava = true;
            } else if (line.equals("```")) {
                inJava = false;
            } else if (inJava && !line.isBlank()) {
                code.add(line.strip());
            }
        }
        return code;
    }

    /** The trimmed, non-blank lines after the line containing {@code from}, up to the one containing {@code to}. */
    private static List<String> between(List<String> lines, String from, String to) {
        List<String> part = new ArrayList<>();
        boolean in = false;
        for (String line : lines) {
            if (line.contains(from)) {
                in = true;
            } else if (line.contains(to)) {
                in = false;
            } else if (in && !line.isBlank()) {
                part.add(line.strip());
            }
        }
        return part;
    }
}
