package dev.kappa.console.internal.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.ClassPathResource;
import org.springframework.web.util.HtmlUtils;

/**
 * The console's HTML page: a template in the jar, filled with the console's base path, the request's CSRF token if it
 * has one, and the assets' versions (so that browsers may keep them as long as they like: a new version has a new
 * address). Immutable; the template is read once.
 */
final class ConsolePage {

    /** Where the page's template is: apart from the assets, so that it is not served as one. */
    static final String TEMPLATE = "kappa-console-page/console.html";
    /** Where the assets are, served under {@code {path}/assets/}. */
    static final String ASSETS = "kappa-console/";
    /** The assets the page references; each one's version is a hash of its content. */
    static final List<String> ASSET_FILES = List.of("console.css", "console.js", "icon.svg");

    private final String template;

    ConsolePage() {
        String page = read(TEMPLATE);
        for (String asset : ASSET_FILES) {
            page = page.replace("{{version:" + asset + "}}", version(asset));
        }
        this.template = page;
    }

    /**
     * The page for one request.
     *
     * @param base the console's path, with the application's context path
     * @param csrf the request's CSRF token, or null
     */
    String render(String base, @Nullable CsrfToken csrf) {
        String meta = csrf == null ? "" : "<meta name=\"_csrf\" content=\"" + HtmlUtils.htmlEscape(csrf.token())
                + "\">\n    <meta name=\"_csrf_header\" content=\"" + HtmlUtils.htmlEscape(csrf.headerName()) + "\">";
        return template.replace("{{base}}", HtmlUtils.htmlEscape(base)).replace("{{csrf}}", meta);
    }

    private static String version(String asset) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(read(ASSETS + asset)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String read(String path) {
        try (InputStream in = new ClassPathResource(path, ConsolePage.class.getClassLoader()).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("the console's " + path + " is missing from its jar: is kappa-console"
                    + " packaged whole?", e);
        }
    }
}
