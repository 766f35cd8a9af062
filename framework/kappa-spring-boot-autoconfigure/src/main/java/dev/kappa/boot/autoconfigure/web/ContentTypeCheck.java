package dev.kappa.boot.autoconfigure.web;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses a request with a body whose {@code Content-Type} is a wildcard such as {@code *}{@code /*}, which names no
 * format to read the body in, with 415 — Spring MVC would fail on it with an IllegalArgumentException, a 500.
 * Stateless.
 */
final class ContentTypeCheck implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws HttpMediaTypeNotSupportedException {
        String header = request.getHeader(HttpHeaders.CONTENT_TYPE);
        boolean hasBody = request.getContentLengthLong() > 0
                || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
        if (header == null || !hasBody) {
            return true;
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(header);
        } catch (InvalidMediaTypeException unparseable) {
            return true; // Spring MVC answers it with 415 itself
        }
        if (type.isWildcardType() || type.isWildcardSubtype()) {
            throw new HttpMediaTypeNotSupportedException(type, List.of(MediaType.APPLICATION_JSON),
                    null, "Content-Type '" + header + "' names no format");
        }
        return true;
    }
}
