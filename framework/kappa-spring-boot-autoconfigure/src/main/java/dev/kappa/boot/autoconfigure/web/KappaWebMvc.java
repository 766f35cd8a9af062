package dev.kappa.boot.autoconfigure.web;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Registers whichever interceptors and argument resolvers the enabled parts define. First among the configurers, so
 * that an {@code IdempotencyKey} parameter reaches its resolver before a catch-all one (Spring Data's, which would
 * take any interface for a projection of the request). Stateless.
 */
final class KappaWebMvc implements WebMvcConfigurer, Ordered {

    private final ObjectProvider<ContentTypeCheck> contentTypes;
    private final ObjectProvider<ReadYourWritesInterceptor> reads;
    private final ObjectProvider<IdempotencyKeyResolver> keys;

    KappaWebMvc(ObjectProvider<ContentTypeCheck> contentTypes, ObjectProvider<ReadYourWritesInterceptor> reads,
                ObjectProvider<IdempotencyKeyResolver> keys) {
        this.contentTypes = contentTypes;
        this.reads = reads;
        this.keys = keys;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        contentTypes.ifAvailable(registry::addInterceptor);
        reads.ifAvailable(registry::addInterceptor);
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        keys.ifAvailable(resolvers::add);
    }
}
