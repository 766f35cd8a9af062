package dev.kappa.benchmarks;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The settings the environment gives a run, as docs/benchmarks.md lists them. */
class BenchmarkOptionsTest {

    @Test
    void postgresSettingsAreNameValuePairsSeparatedByCommas() {
        BenchmarkOptions options = BenchmarkOptions.from(
                Map.of("POSTGRES_SETTINGS", "shared_buffers=1GB, work_mem = 64MB"), new String[0]);

        assertThat(options.postgresSettings()).containsExactlyInAnyOrderEntriesOf(
                Map.of("shared_buffers", "1GB", "work_mem", "64MB"));
        assertThat(BenchmarkOptions.from(Map.of(), new String[0]).postgresSettings()).isEmpty();
    }

    @Test
    void aSettingWithoutAValueIsRefusedSayingWhatIsExpected() {
        assertThatThrownBy(() -> BenchmarkOptions.from(Map.of("POSTGRES_SETTINGS", "shared_buffers"), new String[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("POSTGRES_SETTINGS must be name=value pairs separated by commas, e.g."
                        + " shared_buffers=1GB,work_mem=64MB, but held 'shared_buffers'");
    }
}
