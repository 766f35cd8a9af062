package dev.kappa.boot.autoconfigure.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingRequestWrapper;

import dev.kappa.boot.web.IdempotencyKey;

/**
 * Keeps a copy of the body of a request that carries an {@value IdempotencyKey#HEADER}, as the handler reads it, for
 * the key's fingerprint. Other requests pass untouched. Thread-safe.
 */
final class IdempotentRequestCopy extends OncePerRequestFilter implements Ordered {

    private final int limit;

    /** @param limit the most bytes copied; the body limit keeps larger bodies out */
    IdempotentRequestCopy(int limit) {
        this.limit = limit;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 110;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request.getHeader(IdempotencyKey.HEADER) == null ? request
                : new ContentCachingRequestWrapper(request, limit), response);
    }
}
