package dev.kappa.console.internal.web;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import tools.jackson.databind.json.JsonMapper;

import dev.kappa.console.internal.action.ActionOutcome;
import dev.kappa.console.internal.action.ActionRequest;
import dev.kappa.console.internal.action.ProjectionActions;
import dev.kappa.console.internal.state.Viewer;

/**
 * {@code POST {path}/projections/{name}/{action}} with a JSON body: the console's actions. Who may act is decided here,
 * on every request, never by the page: write access must be on and the user must hold the operator role, else 403.
 * Only JSON bodies are taken (another site's form cannot post one without a CORS preflight).
 *
 * <p>Thread-safe.
 */
@Controller
@RequestMapping("${kappa.console.path:/kappa}")
public class ActionController {

    private static final Logger log = LoggerFactory.getLogger(ActionController.class);

    private final ProjectionActions actions;
    private final Viewers viewers;
    private final ConsoleProblems problems;
    private final JsonMapper json;

    ActionController(ProjectionActions actions, Viewers viewers, ConsoleProblems problems, JsonMapper json) {
        this.actions = actions;
        this.viewers = viewers;
        this.problems = problems;
        this.json = json;
    }

    @PostMapping(value = "/projections/{name}/{action}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> act(@PathVariable String name, @PathVariable String action,
                                      @RequestBody(required = false) String body, HttpServletRequest request) {
        String forbidden = viewers.refusal(request);
        if (forbidden != null) {
            // not recorded in the table, which anyone could fill this way; one line in the log
            log.info("console: {} of projection '{}' refused: {}", ActionRequest.shown(action),
                    ActionRequest.shown(name), forbidden);
            return problems.of(HttpStatus.FORBIDDEN, "forbidden", "cannot " + ActionRequest.shown(action)
                    + " projection '" + ActionRequest.shown(name) + "'", forbidden, request);
        }
        Viewer viewer = viewers.of(request);
        ActionRequest parsed = null;
        String invalid = null;
        try {
            parsed = ActionRequest.parse(body, json);
        } catch (IllegalArgumentException e) {
            invalid = e.getMessage();
        }
        ActionOutcome outcome = actions.act(viewer.user(), name, action, parsed, invalid);
        if (outcome.done()) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("result", outcome.record().detail());
            answer.put("record", outcome.record());
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).cacheControl(CacheControl.noStore())
                    .body(json.writeValueAsString(answer));
        }
        return problems.of(HttpStatus.valueOf(outcome.status()), outcome.problem(), outcome.title(),
                outcome.record().detail(), request, Map.of("record", outcome.record()));
    }
}
