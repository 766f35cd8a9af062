package dev.kappa.activity;

import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * As the bank's: the read API and health's status are open (a demo); every other actuator endpoint, resets of the
 * projection included, is the operator's, over HTTP basic, with the password from {@code ACTIVITY_OPERATOR_PASSWORD}
 * (generated and printed at start when unset). CSRF is off for the bank's reasons: no session, no cookie, and the
 * actuator's writes take only JSON.
 */
@Configuration(proxyBeanMethods = false)
class ActivitySecurity {

    static final String OPERATOR = "OPERATOR";

    @Bean
    SecurityFilterChain activitySecurityFilterChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class, InfoEndpoint.class)).permitAll()
                        .requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole(OPERATOR)
                        .anyRequest().permitAll())
                .httpBasic(Customizer.withDefaults())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable());
        return http.build();
    }
}
