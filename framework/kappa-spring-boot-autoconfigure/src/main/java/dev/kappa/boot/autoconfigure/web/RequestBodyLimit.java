package dev.kappa.boot.autoconfigure.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies larger than the limit: a body that declares a larger {@code Content-Length}, or that grows
 * past the limit as it is read, fails the read with {@link RequestBodyTooLargeException}, which the problem mapping
 * answers with 413; reading stops there. A body nobody reads is not checked. Thread-safe;
 * each wrapped request belongs to one request thread.
 */
final class RequestBodyLimit extends OncePerRequestFilter implements Ordered {

    private final DataSize maxSize;

    RequestBodyLimit(DataSize maxSize) {
        if (maxSize.toBytes() < 1) {
            throw new IllegalArgumentException("kappa.web.body-limit.max-size must be at least 1 byte but was "
                    + maxSize + "; set kappa.web.body-limit.enabled=false to take bodies of any size");
        }
        this.maxSize = maxSize;
    }

    @Override
    public int getOrder() {
        // around everything that may read the body, the idempotency fingerprint's copy included
        return Ordered.HIGHEST_PRECEDENCE + 100;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new Limited(request, maxSize), response);
    }

    /** The request with its body read through a counter. */
    private static final class Limited extends HttpServletRequestWrapper {

        private final DataSize maxSize;
        private ServletInputStream body;

        Limited(HttpServletRequest request, DataSize maxSize) {
            super(request);
            this.maxSize = maxSize;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (body == null) {
                body = new Counted(super.getInputStream(), getContentLengthLong(), maxSize);
            }
            return body;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    private static final class Counted extends ServletInputStream {

        private final ServletInputStream body;
        private final long declared;
        private final DataSize maxSize;
        private long read;

        Counted(ServletInputStream body, long declared, DataSize maxSize) {
            this.body = body;
            this.declared = declared;
            this.maxSize = maxSize;
        }

        @Override
        public int read() throws IOException {
            check();
            int b = body.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            check();
            int n = body.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws RequestBodyTooLargeException {
            read += n;
            check();
        }

        private void check() throws RequestBodyTooLargeException {
            if (declared > maxSize.toBytes() || read > maxSize.toBytes()) {
                throw new RequestBodyTooLargeException(maxSize);
            }
        }

        @Override
        public boolean isFinished() {
            return body.isFinished();
        }

        @Override
        public boolean isReady() {
            return body.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            body.setReadListener(listener);
        }

        @Override
        public int available() throws IOException {
            return body.available();
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
