package dev.kappa.console.internal.web;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/**
 * The CSRF token Spring Security put in a request, if it did: the page sends it back with every action, in the header
 * it names. Nothing without Spring Security on the class path.
 *
 * @param headerName the header the token goes in
 * @param token      the token
 */
record CsrfToken(String headerName, String token) {

    private static final boolean SECURITY = ClassUtils.isPresent(
            "org.springframework.security.web.csrf.CsrfToken", CsrfToken.class.getClassLoader());

    /** The request's token, or null if it has none. */
    static @Nullable CsrfToken of(HttpServletRequest request) {
        return SECURITY ? SpringSecurity.token(request) : null;
    }

    /** Kept apart so that the console loads without Spring Security. */
    private static final class SpringSecurity {

        static @Nullable CsrfToken token(HttpServletRequest request) {
            Object attribute = request.getAttribute(org.springframework.security.web.csrf.CsrfToken.class.getName());
            if (attribute instanceof org.springframework.security.web.csrf.CsrfToken token) {
                String value = token.getToken();
                return value == null ? null : new CsrfToken(token.getHeaderName(), value);
            }
            return null;
        }
    }
}
