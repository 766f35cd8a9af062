package dev.kappa.bank;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may do what: the business API is open to anyone, because the bank is a demo (a real bank would authenticate its
 * customers, e.g. as an OAuth2 resource server); the actuator belongs to the operator.
 * <ul>
 *   <li>{@code /actuator/health} (and its probes) and {@code /actuator/info}: anyone, but health shows its status
 *       only; its details (SQL in a projection's error, instance ids) need the {@value #OPERATOR} role
 *       ({@code management.endpoint.health.show-details: when-authorized}).</li>
 *   <li>every other actuator endpoint, {@code /actuator/kappa} with its reads included: the {@value #OPERATOR} role.
 *       Its reads name instance ids and show failing events' error text, so the whole endpoint is the operator's
 *       rather than a filtered view for everyone.</li>
 *   <li>the operator console ({@code kappa.console.path}, {@code /kappa}): its page, assets, state and live stream
 *       are open to anyone, because the bank is a demo; they show what the actuator's reads show, so a real
 *       deployment keeps them for the operator as it does the actuator ({@code hasRole(OPERATOR)} on the whole path).
 *       {@code /kappa/sign-in} asks for HTTP basic credentials, which the browser then sends with the console's
 *       requests; its actions (reset, rebuild, restart, skip, replay) need a signed-in user, and the console itself
 *       refuses them to one without the {@value #OPERATOR} role ({@code kappa.console.write-access: true} in
 *       application.yml turns them on).</li>
 * </ul>
 * The operator signs in with HTTP basic. Its credentials are Spring Boot's own {@code spring.security.user.*}
 * (application.yml names the user {@code operator} with the role {@value #OPERATOR}, and takes the password from
 * {@code BANK_OPERATOR_PASSWORD}); with no password set, Spring Boot generates one and prints it at start.
 *
 * <p>Spring Security's firewall refuses a URL with an encoded CR, LF, NUL or a path-traversal segment before any
 * handler sees it; {@link #rejectedRequestsAsProblems} answers that refusal as a 400 problem like every other bad
 * request, instead of the bare error page.
 */
@Configuration(proxyBeanMethods = false)
class BankSecurity {

    static final String OPERATOR = "OPERATOR";

    @Bean
    SecurityFilterChain bankSecurityFilterChain(HttpSecurity http,
                                                @Value("${kappa.console.path:/kappa}") String console) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class, InfoEndpoint.class)).permitAll()
                        .requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole(OPERATOR)
                        // the console: signing in asks for credentials; an action needs them, and the console checks
                        // the role itself (so that a refusal is a problem it records); reading is open, as a demo
                        .requestMatchers(HttpMethod.GET, console + "/sign-in").authenticated()
                        .requestMatchers(HttpMethod.POST, console + "/**").authenticated()
                        .requestMatchers(HttpMethod.GET, console, console + "/**").permitAll()
                        // the business API, its OpenAPI document and the error pages: open, as a demo
                        .anyRequest().permitAll())
                .httpBasic(Customizer.withDefaults())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // CSRF tokens protect credentials that a browser sends by itself, such as a session cookie. This API
                // keeps no session: business requests carry no credentials at all, and the operator's scripts send
                // HTTP basic with every request, so a token would only break the JSON clients. The one ambient
                // credential left, basic credentials a browser has cached (the console's sign-in relies on them),
                // cannot be abused cross-site either: the actuator's write operations and the console's actions
                // accept only a JSON body, which another site's page can send only after a CORS preflight that the
                // bank never grants (BankSecurityTest holds that a non-JSON write is refused).
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    @Bean
    RequestRejectedHandler rejectedRequestsAsProblems(JsonMapper json) {
        return (request, response, rejected) -> {
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("type", "https://kappa.dev/problems/invalid-request");
            problem.put("title", HttpStatus.BAD_REQUEST.getReasonPhrase());
            problem.put("status", HttpStatus.BAD_REQUEST.value());
            problem.put("detail", "the request's path contains a character or segment that is not allowed there (an"
                    + " encoded CR, LF, NUL, '%', ';' or '..'): ids are letters, digits, '-' and '_'");
            problem.put("instance", request.getRequestURI());
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            json.writeValue(response.getOutputStream(), problem);
        };
    }
}
