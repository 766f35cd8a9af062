package dev.kappa.boot.autoconfigure.web;

import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

import dev.kappa.boot.web.ReadModelBehindException;
import dev.kappa.boot.web.ReadYourWrites;
import dev.kappa.projections.CheckpointWait;
import dev.kappa.projections.CheckpointWaits;

/**
 * Before a handler marked {@link ReadYourWrites} runs, waits until its projections have applied the offset the
 * request carries, woken by their commits; throws {@link ReadModelBehindException} when the wait runs out. Stateless
 * and thread-safe: the wait happens on the request's thread.
 */
final class ReadYourWritesInterceptor implements HandlerInterceptor {

    private static final int LONGEST_OFFSET = String.valueOf(Long.MAX_VALUE).length();

    private final CheckpointWaits projections;
    private final Duration timeout;
    private final Problems problems;

    ReadYourWritesInterceptor(CheckpointWaits projections, Duration timeout, Problems problems) {
        this.projections = projections;
        this.timeout = timeout;
        this.problems = problems;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws InterruptedException {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        ReadYourWrites reads = AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), ReadYourWrites.class);
        if (reads == null) {
            reads = AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), ReadYourWrites.class);
        }
        if (reads == null) {
            return true;
        }
        long offset = requestedOffset(request);
        if (offset == 0) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String projection : reads.value()) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            CheckpointWait wait = projections.awaitCheckpoint(projection, offset, left);
            if (!wait.reached()) {
                throw new ReadModelBehindException(wait);
            }
        }
        return true;
    }

    /** The header's offset, else the parameter's, else 0; a value that is no offset is the client's mistake. */
    private long requestedOffset(HttpServletRequest request) {
        String header = request.getHeader(ReadYourWrites.HEADER);
        if (header != null) {
            return parsed(header, "the " + ReadYourWrites.HEADER + " header");
        }
        String parameter = request.getParameter(ReadYourWrites.PARAMETER);
        return parameter == null ? 0 : parsed(parameter, "the " + ReadYourWrites.PARAMETER + " parameter");
    }

    private long parsed(String value, String what) {
        String digits = value.strip();
        boolean decimal = !digits.isEmpty() && digits.length() <= LONGEST_OFFSET
                && digits.chars().allMatch(c -> c >= '0' && c <= '9');
        if (decimal) {
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException beyondLong) {
                // answered below
            }
        }
        String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        throw problems.error(HttpStatus.BAD_REQUEST, "invalid-request", what + " must be a log offset: a whole"
                + " number, 0 or more, such as a write's " + ReadYourWrites.HEADER + " header; not '"
                + shown.replaceAll("\\p{Cntrl}", "?") + "'");
    }
}
