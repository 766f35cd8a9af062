package dev.kappa.boot.autoconfigure.web;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import dev.kappa.boot.autoconfigure.projections.KappaProjectionsAutoConfiguration;
import dev.kappa.projections.CheckpointWaits;

/**
 * What every Kappa web application needs, for Spring MVC: Kappa's exceptions, bad requests and an unreachable
 * database as problem details; {@code @ReadYourWrites}; {@code IdempotencyKey} parameters; strict JSON; a request
 * body limit. Each part is turned off by its {@code kappa.web.*.enabled} property, and each bean backs off when the
 * application defines its own.
 */
@AutoConfiguration(after = KappaProjectionsAutoConfiguration.class,
        beforeName = "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({DispatcherServlet.class, ResponseEntityExceptionHandler.class})
@EnableConfigurationProperties(KappaWebProperties.class)
public class KappaWebAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Problems kappaWebProblems(KappaWebProperties properties) {
        return new Problems(properties.problems());
    }

    /** Registers whichever interceptors and argument resolvers the enabled parts define. */
    @Bean
    @ConditionalOnMissingBean
    KappaWebMvc kappaWebMvc(ObjectProvider<ContentTypeCheck> contentTypes,
                            ObjectProvider<ReadYourWritesInterceptor> reads,
                            ObjectProvider<IdempotencyKeyResolver> keys) {
        return new KappaWebMvc(contentTypes, reads, keys);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "kappa.web.problems.enabled", matchIfMissing = true)
    static class ProblemsConfiguration {

        /** Backs off when the application has its own: then mapping Kappa's exceptions is the application's call. */
        @Bean
        @ConditionalOnMissingBean(ResponseEntityExceptionHandler.class)
        KappaProblems kappaProblems(Problems problems) {
            return new KappaProblems(problems);
        }

        @Bean
        @ConditionalOnMissingBean
        ContentTypeCheck kappaContentTypeCheck() {
            return new ContentTypeCheck();
        }

        /** Tomcat's own refusals, before Spring MVC, as problems too. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = {"org.apache.catalina.valves.ErrorReportValve",
                "org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory"})
        static class TomcatConfiguration {

            @Bean
            @ConditionalOnMissingBean
            TomcatProblems kappaTomcatProblems(Problems problems) {
                return new TomcatProblems(problems);
            }
        }

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "jakarta.validation.ConstraintViolationException")
        static class ValidationConfiguration {

            @Bean
            @ConditionalOnMissingBean
            ConstraintViolationProblems kappaConstraintViolationProblems(Problems problems) {
                return new ConstraintViolationProblems(problems);
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "kappa.web.read-your-writes.enabled", matchIfMissing = true)
    @ConditionalOnBean(CheckpointWaits.class)
    static class ReadYourWritesConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ReadYourWritesInterceptor kappaReadYourWrites(CheckpointWaits projections, KappaWebProperties properties,
                                                      Problems problems) {
            return new ReadYourWritesInterceptor(projections, properties.readYourWrites().timeout(), problems);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "kappa.web.idempotency.enabled", matchIfMissing = true)
    static class IdempotencyConfiguration {

        @Bean
        @ConditionalOnMissingBean
        IdempotencyKeyResolver kappaIdempotencyKeyResolver(Problems problems) {
            return new IdempotencyKeyResolver(problems);
        }

        @Bean
        @ConditionalOnMissingBean
        IdempotentRequestCopy kappaIdempotentRequestCopy(KappaWebProperties properties) {
            KappaWebProperties.BodyLimit limit = properties.bodyLimit();
            return new IdempotentRequestCopy(limit.enabled()
                    ? (int) Math.min(Integer.MAX_VALUE, limit.maxSize().toBytes()) : Integer.MAX_VALUE);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "kappa.web.strict-json.enabled", matchIfMissing = true)
    @ConditionalOnClass(name = "org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer")
    static class StrictJsonConfiguration {

        @Bean
        @ConditionalOnMissingBean
        StrictJson kappaStrictJson() {
            return new StrictJson();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "kappa.web.body-limit.enabled", matchIfMissing = true)
    static class BodyLimitConfiguration {

        @Bean
        @ConditionalOnMissingBean
        RequestBodyLimit kappaRequestBodyLimit(KappaWebProperties properties) {
            return new RequestBodyLimit(properties.bodyLimit().maxSize());
        }
    }
}
