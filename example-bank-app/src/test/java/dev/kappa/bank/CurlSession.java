package dev.kappa.bank;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A shell session printed in a Markdown document, read so that a test can run it: the first {@code ```shell} block
 * after a heading, whose {@code export} lines set shell variables, whose {@code curl} lines are requests, and whose
 * comment after each request shows (part of) the JSON it answers. Reads the subset of curl the documents use: -s, -X,
 * -H, -d and -u (basic credentials), with single-quoted arguments and the shell's {@code $VARIABLE}s outside them.
 */
final class CurlSession {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([A-Z_]+)}|([A-Z_]+))");

    private final Map<String, String> shell;
    private final Map<String, Integer> ports;

    /**
     * @param shell the shell variables the session may use, as the reader has set them
     * @param ports the port each {@code localhost:<port>} of the document really is at
     */
    CurlSession(Map<String, String> shell, Map<Integer, Integer> ports) {
        this.shell = shell;
        this.ports = new java.util.HashMap<>();
        ports.forEach((printed, real) -> this.ports.put("localhost:" + printed, real));
    }

    /** The session's requests, each with the answer the document shows for it. */
    List<Step> read(Path document, String heading) throws IOException {
        List<String> lines = Files.readAllLines(document);
        int at = lines.indexOf(heading);
        assertThat(at).as("the section '%s' of %s", heading, document).isNotNegative();
        List<Step> steps = new ArrayList<>();
        Iterator<String> rest = lines.subList(at, lines.size()).iterator();
        while (rest.hasNext() && !rest.next().equals("```shell")) {
            // skip to the session's code block
        }
        String curl = null;
        Set<String> exported = new HashSet<>();
        while (rest.hasNext()) {
            String line = rest.next();
            if (line.equals("```")) {
                break;
            }
            if (line.startsWith("export ")) {
                // the reader writes in the value the document asks for: the test's own stands for it
                String name = line.substring("export ".length()).split("=", 2)[0];
                assertThat(shell).as("a value for %s", line).containsKey(name);
                exported.add(name);
            } else if (line.startsWith("curl ")) {
                assertThat(exported).as("the variables exported before %s", line).containsAll(variables(line));
                curl = line;
            } else if (line.startsWith("# ") && curl != null) {
                steps.add(new Step(curl, request(curl), JSON.readTree(line.substring(2))));
                curl = null;
            }
        }
        return steps;
    }

    /** Sends the step's request and asserts that it succeeds with (at least) the answer the document shows. */
    static void assertAnswers(HttpClient http, Step step) throws Exception {
        HttpResponse<String> response = http.send(step.request(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s answered %s", step.curl(), response.body()).isLessThan(300);
        JsonNode actual = JSON.readTree(response.body());
        assertThat(contains(actual, step.expected())).as("%s%nanswered %s%nnot %s", step.curl(), actual,
                step.expected()).isTrue();
    }

    /** Whether {@code actual} has everything {@code expected} has: fields of objects, arrays element by element. */
    static boolean contains(JsonNode actual, JsonNode expected) {
        if (expected.isObject()) {
            if (!actual.isObject()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> field : expected.properties()) {
                JsonNode value = actual.get(field.getKey());
                if (value == null || !contains(value, field.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                return false;
            }
            for (int i = 0; i < expected.size(); i++) {
                if (!contains(actual.get(i), expected.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return actual.equals(expected) || (actual.isNumber() && expected.isNumber()
                && actual.asString().equals(expected.asString()));
    }

    private HttpRequest request(String curl) {
        List<String> words = words(curl);
        String method = "GET";
        String body = null;
        String url = null;
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < words.size(); i++) {
            switch (words.get(i)) {
                case "-s" -> { }
                case "-X" -> method = words.get(++i);
                case "-H" -> headers.add(words.get(++i).split(": ", 2));
                case "-d" -> body = words.get(++i);
                case "-u" -> headers.add(new String[] {"Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(words.get(++i).getBytes(StandardCharsets.UTF_8))});
                default -> url = words.get(i);
            }
        }
        assertThat(url).as("the URL of %s", curl).isNotNull();
        String host = url.substring(0, url.indexOf('/'));
        assertThat(ports).as("the host of %s", curl).containsKey(host);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + ports.get(host)
                + url.substring(host.length())));
        headers.forEach(header -> request.header(header[0], header[1]));
        if (body == null && method.equals("POST")) {
            body = "{}";
        }
        return request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** The shell variables a line uses (outside single quotes, which the sessions do not mix with them). */
    private static Set<String> variables(String line) {
        Set<String> names = new HashSet<>();
        Matcher variable = VARIABLE.matcher(line.replaceAll("'[^']*'", ""));
        while (variable.find()) {
            names.add(variable.group(1) != null ? variable.group(1) : variable.group(2));
        }
        return names;
    }

    private List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == ' ' && !quoted) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else if (c == '$' && !quoted) {
                Matcher variable = VARIABLE.matcher(line).region(i, line.length());
                assertThat(variable.lookingAt()).as("a shell variable at %d of %s", i, line).isTrue();
                String name = variable.group(1) != null ? variable.group(1) : variable.group(2);
                String value = shell.get(name);
                assertThat(value).as("the value of $%s in %s: only %s are set", name, line, shell.keySet())
                        .isNotNull();
                word.append(value);
                i = variable.end() - 1;
            } else {
                word.append(c);
            }
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }

    /** A request of the session and the answer the document shows for it. */
    record Step(String curl, HttpRequest request, JsonNode expected) {
    }
}
