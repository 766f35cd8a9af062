package dev.kappa.bank;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's credentials as the bank's application.yml configures them and the README describes them: the user
 * {@code operator} with the role OPERATOR, the password from {@code BANK_OPERATOR_PASSWORD}, or else one Spring Boot
 * generates and prints at start.
 */
@ExtendWith(OutputCaptureExtension.class)
class OperatorCredentialsTest {

    private static final Pattern GENERATED = Pattern.compile("Using generated security password: (\\S+)");

    private final WebApplicationContextRunner bank = new WebApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withConfiguration(AutoConfigurations.of(SecurityAutoConfiguration.class,
                    UserDetailsServiceAutoConfiguration.class));

    @Test
    void withoutAPasswordTheBankPrintsAGeneratedOneForTheOperator(CapturedOutput output) {
        bank.run(context -> {
            UserDetails operator = context.getBean(UserDetailsService.class).loadUserByUsername("operator");

            Matcher printed = GENERATED.matcher(output.getAll());
            assertThat(printed.find()).as("the generated password in the output").isTrue();
            assertThat(operator.getPassword()).isEqualTo("{noop}" + printed.group(1));
            assertThat(operator.getAuthorities()).extracting(GrantedAuthority::getAuthority)
                    .containsExactly("ROLE_OPERATOR");
        });
    }

    @Test
    void bankOperatorPasswordGivesTheOperatorsPassword(CapturedOutput output) {
        bank.withPropertyValues("BANK_OPERATOR_PASSWORD=chosen-by-the-operator").run(context -> {
            UserDetails operator = context.getBean(UserDetailsService.class).loadUserByUsername("operator");

            assertThat(operator.getPassword()).isEqualTo("{noop}chosen-by-the-operator");
            assertThat(output.getAll()).doesNotContain("Using generated security password");
        });
    }
}
