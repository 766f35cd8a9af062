package dev.kappa.bank;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium ({@code apt-get install chromium chromium-driver}), headless, driven through its chromedriver, on a
 * fresh profile that is deleted on {@link #close()}. The flags keep it off the network: without them Chromium reaches
 * for Google's services at start and, on a machine without internet, waits on those connections. Not thread-safe:
 * one test class drives it.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** How long the tests wait for an install {@code .ci/run} runs beside the build. */
    private static final Duration INSTALL_WAIT = Duration.ofMinutes(10);

    private final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /**
     * Whether Chromium is installed where Debian's package puts it. While {@code .ci/run} installs it beside the build
     * (it names a status file in {@code KAPPA_CHROMIUM_INSTALL_STATUS}), waits for the install to end, and fails if
     * it failed: a CI run must not pass by skipping the browser tests.
     */
    static boolean installed() {
        String status = System.getenv("KAPPA_CHROMIUM_INSTALL_STATUS");
        if (status != null && !status.isBlank() && !Files.isExecutable(CHROMIUM)) {
            Path ended = Path.of(status);
            long deadline = System.nanoTime() + INSTALL_WAIT.toNanos();
            while (!Files.exists(ended)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("Chromium's install by .ci/run did not end within " + INSTALL_WAIT
                            + "; see " + status + ".log");
                }
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Chromium's install", e);
                }
            }
            String outcome;
            try {
                outcome = Files.readString(ended).strip();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!outcome.equals("done")) {
                throw new IllegalStateException("Chromium's install by .ci/run " + outcome);
            }
        }
        return Files.isExecutable(CHROMIUM);
    }

    /** Starts Chromium with a viewport of 1280×800. */
    static HeadlessChromium start() {
        if (!Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("Chromium is installed but " + CHROMEDRIVER + " is not: install Debian's"
                    + " chromium-driver (apt-get install chromium-driver; .ci/run does)");
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("kappa-console-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a profile directory for Chromium", e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        HeadlessChromium chromium = new HeadlessChromium(new ChromeDriver(service, options), profile);
        chromium.viewport(1280, 800, false);
        return chromium;
    }

    ChromeDriver driver() {
        return driver;
    }

    /**
     * Sets the page's viewport, as a phone's ({@code mobile}: the page's {@code <meta name="viewport">} decides its
     * layout width) or a desktop window's. Through chromedriver's own CDP command, which needs no Selenium binding
     * for this Chromium's version.
     */
    void viewport(int width, int height, boolean mobile) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", mobile));
    }

    /** Saves what the viewport shows as a PNG file, creating its directory. */
    Path screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save a screenshot to " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException e) {
                // a profile left in the temporary directory harms nothing
            }
        }
    }
}
