package dev.kappa.boot.autoconfigure.web;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import static org.assertj.core.api.Assertions.assertThat;

class UnavailableAnswersTest {

    private final List<String> lines = new ArrayList<>();
    private final SteppedClock clock = new SteppedClock();
    private final UnavailableAnswers answers = new UnavailableAnswers(recordingLogger(), clock);

    @Test
    void anOutageUnderLoadWritesOneWarnLinePerIntervalCountingTheAnswersBetween() {
        // given an outage: the first 503 is news
        answers.answered("database down");
        // when a hundred more follow within the interval
        for (int i = 0; i < 100; i++) {
            answers.answered("database down");
        }
        clock.advance(UnavailableAnswers.INTERVAL);
        answers.answered("database down");

        // then two WARN lines, the second counting the hundred; the hundred themselves at DEBUG
        assertThat(lines).filteredOn(line -> line.startsWith("warn")).containsExactly(
                "warn answering 503: {} [database down]",
                "warn answering 503: {} ({} more 503 answers since the last line) [database down, 100]");
        assertThat(lines).filteredOn(line -> line.startsWith("debug")).hasSize(100);
    }

    @Test
    void aLaterOutageIsReportedAtOnce() {
        answers.answered("first outage");
        clock.advance(Duration.ofHours(1));

        answers.answered("second outage");

        assertThat(lines).containsExactly("warn answering 503: {} [first outage]",
                "warn answering 503: {} [second outage]");
    }

    private Logger recordingLogger() {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("warn") || method.getName().equals("debug")) {
                        Object[] values = Arrays.copyOfRange(args, 1, args.length);
                        if (values.length == 1 && values[0] instanceof Object[] varargs) {
                            values = varargs;
                        }
                        lines.add(method.getName() + " " + args[0] + " " + Arrays.toString(values));
                    }
                    return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
                });
    }

    /** A clock that moves only when told. */
    private static final class SteppedClock extends Clock {

        private Instant now = Instant.parse("2026-11-30T12:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
