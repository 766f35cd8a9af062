package dev.kappa.boot.autoconfigure.web;

import java.util.Enumeration;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.util.ContentCachingRequestWrapper;
import org.springframework.web.util.WebUtils;

import dev.kappa.boot.web.IdempotencyKey;

/**
 * Resolves {@link IdempotencyKey} handler parameters from the {@value IdempotencyKey#HEADER} header, refusing a key
 * that is not 1 to {@value IdempotencyKey#MAX_LENGTH} visible ASCII characters, or more than one key, with a 400
 * problem. Stateless.
 */
final class IdempotencyKeyResolver implements HandlerMethodArgumentResolver {

    private static final byte[] NO_BODY = new byte[0];

    private final Problems problems;

    IdempotencyKeyResolver(Problems problems) {
        this.problems = problems;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == IdempotencyKey.class;
    }

    @Override
    public IdempotencyKey resolveArgument(MethodParameter parameter, ModelAndViewContainer container,
                                          NativeWebRequest webRequest, WebDataBinderFactory binders) {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        String value = checked(single(request));
        ContentCachingRequestWrapper copy = WebUtils.getNativeRequest(request, ContentCachingRequestWrapper.class);
        return new RequestIdempotencyKey(value, request.getMethod(), request.getRequestURI(),
                () -> copy == null ? NO_BODY : copy.getContentAsByteArray());
    }

    /**
     * The header's one value. Two headers, or one holding a comma-separated list, would leave the key to whichever
     * the server happened to read, and a retry could differ: refused, like any other malformed key.
     */
    private String single(HttpServletRequest request) {
        Enumeration<String> headers = request.getHeaders(IdempotencyKey.HEADER);
        if (headers == null || !headers.hasMoreElements()) {
            return null;
        }
        String header = headers.nextElement();
        if (headers.hasMoreElements() || header.indexOf(',') >= 0) {
            throw problems.error(HttpStatus.BAD_REQUEST, "invalid-request", IdempotencyKey.HEADER + ": must be sent"
                    + " once, with one key; this request has several (two headers, or a comma-separated list)");
        }
        return header;
    }

    private String checked(String header) {
        if (header == null) {
            return null;
        }
        String key = header.length() >= 2 && header.startsWith("\"") && header.endsWith("\"")
                ? header.substring(1, header.length() - 1) : header;
        boolean visible = !key.isEmpty() && key.length() <= IdempotencyKey.MAX_LENGTH
                && key.chars().allMatch(c -> c > 0x20 && c < 0x7f);
        if (!visible) {
            throw problems.error(HttpStatus.BAD_REQUEST, "invalid-request", IdempotencyKey.HEADER + ": must be 1 to "
                    + IdempotencyKey.MAX_LENGTH + " visible ASCII characters (no spaces), such as a UUID");
        }
        return key;
    }
}
