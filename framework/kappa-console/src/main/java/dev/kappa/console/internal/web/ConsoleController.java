package dev.kappa.console.internal.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

import dev.kappa.console.internal.state.StateAssembler;

/**
 * What the console's page reads: the page itself, the state as JSON, the live stream of it, and the sign-in address
 * an application's security guards (answered with a redirect to the page, once signed in).
 *
 * <p>Thread-safe.
 */
@Controller
@RequestMapping("${kappa.console.path:/kappa}")
public class ConsoleController {

    /** The page allows nothing from outside the application, and no inline script or style. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; font-src 'none'; object-src 'none'; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'";

    private final String path;
    private final ConsolePage page;
    private final StateAssembler assembler;
    private final StateStream stream;
    private final Viewers viewers;
    private final ConsoleProblems problems;
    private final JsonMapper json;

    ConsoleController(String path, ConsolePage page, StateAssembler assembler, StateStream stream, Viewers viewers,
                      ConsoleProblems problems, JsonMapper json) {
        this.path = path;
        this.page = page;
        this.assembler = assembler;
        this.stream = stream;
        this.viewers = viewers;
        this.problems = problems;
        this.json = json;
    }

    /** The page. */
    @GetMapping({"", "/"})
    public ResponseEntity<String> page(HttpServletRequest request) {
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                // it may carry a CSRF token: never kept by a cache
                .cacheControl(CacheControl.noStore())
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin")
                .body(page.render(base(request), CsrfToken.of(request)));
    }

    /**
     * Where a browser signs in: the application's security demands credentials here; once given, back to the page, by
     * its absolute address: a relative one would keep credentials typed into the address bar
     * ({@code http://user:secret@host/...}) in the page's address, from where a browser neither fetches nor sends the
     * credentials it keeps, and the console would stay read-only.
     */
    @GetMapping("/sign-in")
    public ResponseEntity<Void> signIn(HttpServletRequest request) {
        URI page = ServletUriComponentsBuilder.fromContextPath(request).path(path).build().toUri();
        return ResponseEntity.status(HttpStatus.FOUND).location(page)
                .cacheControl(CacheControl.noStore()).build();
    }

    /** The state, as the requesting user sees it. */
    @GetMapping("/state")
    public ResponseEntity<String> state(HttpServletRequest request) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).cacheControl(CacheControl.noStore())
                .body(json.writeValueAsString(assembler.assemble().as(viewers.of(request))));
    }

    /** The live stream of the state: a 503 problem when too many pages follow it already. */
    @GetMapping("/stream")
    public Object stream(HttpServletRequest request) {
        SseEmitter emitter = stream.open(viewers.of(request));
        if (emitter == null) {
            return problems.unavailable("console-busy", "too many console streams", StateStream.MAX_STREAMS
                    + " pages follow the console already: close one, or read " + base(request) + "/state", 10,
                    request);
        }
        return emitter;
    }

    private String base(HttpServletRequest request) {
        return request.getContextPath() + path;
    }
}
