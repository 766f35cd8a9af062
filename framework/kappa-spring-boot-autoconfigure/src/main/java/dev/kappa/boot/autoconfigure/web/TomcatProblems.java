package dev.kappa.boot.autoconfigure.web;

import java.io.IOException;
import java.io.Writer;

import org.apache.catalina.Container;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;

/**
 * Makes Tomcat answer what it refuses itself, before Spring MVC sees the request — an encoded NUL, slash or
 * backslash in the path, a header over its size limit — with an RFC 9457 problem instead of its HTML error page: the
 * host's error report valve becomes one that writes {@code application/problem+json}. Ordered last, so that it
 * replaces the valve Spring Boot adds.
 */
final class TomcatProblems implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    private final Problems problems;

    TomcatProblems(Problems problems) {
        this.problems = problems;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            Container parent = context.getParent();
            if (parent instanceof Host host) {
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.getPipeline().addValve(new ProblemReport(problems));
                if (host instanceof StandardHost standard) {
                    // the host adds a valve of this class at start unless its pipeline has one: ours, by name
                    standard.setErrorReportValveClass(ProblemReport.class.getName());
                }
            }
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** Writes the problem of an error no one wrote a body for. */
    static final class ProblemReport extends ErrorReportValve {

        private final Problems problems;

        ProblemReport(Problems problems) {
            this.problems = problems;
            setShowReport(false);
            setShowServerInfo(false);
        }

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            HttpStatusCode code = HttpStatusCode.valueOf(status);
            HttpStatus known = HttpStatus.resolve(status);
            String title = known == null ? "HTTP " + status : known.getReasonPhrase();
            String detail = status == 400
                    ? "the request cannot be read: its path, its headers or its framing are malformed (such as an"
                    + " encoded NUL, slash or backslash in the path, or a header over the server's size limit)"
                    : code.is5xxServerError() ? "the server could not answer the request"
                    : "the server refused the request: " + title;
            String json = "{\"type\":" + quoted(problems.type(Problems.nameOf(code)).toString())
                    + ",\"title\":" + quoted(title) + ",\"status\":" + status + ",\"detail\":" + quoted(detail) + "}";
            try {
                response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                response.setCharacterEncoding("UTF-8");
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(json);
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException ignored) {
                // the client is gone, or the response cannot take a body: there is no one left to tell
            }
        }

        private static String quoted(String text) {
            StringBuilder json = new StringBuilder("\"");
            for (char c : text.toCharArray()) {
                if (c == '"' || c == '\\') {
                    json.append('\\').append(c);
                } else if (c < 0x20) {
                    json.append(String.format("\\u%04x", (int) c));
                } else {
                    json.append(c);
                }
            }
            return json.append('"').toString();
        }
    }
}
