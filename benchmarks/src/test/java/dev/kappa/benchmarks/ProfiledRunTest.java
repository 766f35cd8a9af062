package dev.kappa.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * {@code PROFILE=true}, as docs/benchmarks.md tells a reader to run it: after each phase, PostgreSQL's costliest
 * statements and what its WAL wrote and flushed meanwhile, the figures a group commit's cycle is taken apart with.
 */
class ProfiledRunTest {

    @Test
    void aProfiledWritePhaseReportsItsStatementsAndItsWal() throws Exception {
        BenchmarkOptions options = BenchmarkOptions.from(Map.of("QUICK", "true", "PHASES", "write", "PROFILE", "true"),
                new String[0]).withDurable(false);
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        BenchmarkReport report = new BankBenchmark(options, new PrintStream(output, true, StandardCharsets.UTF_8)).run();

        String printed = output.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertThat(report.sumsMatch()).isTrue();
        assertThat(printed).contains("# write: PostgreSQL's costliest statements")
                .containsPattern("(?m)^#\\s+[0-9]+ ms\\s+[0-9]+ calls .*kappa_log_head")
                .containsPattern("(?m)^# write: WAL \\(pg_stat_wal, pg_stat_io\\): (0\\.[1-9]|[1-9][0-9.]*) MiB;"
                        + " reported so far: [0-9]+ records, [0-9]+ full-page images, [0-9]+ writes, [0-9.]+ ms each,"
                        + " [0-9]+ flushes, [0-9.]+ ms each$");
    }
}
