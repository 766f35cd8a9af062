package dev.kappa.bank;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import dev.kappa.bank.BankClient.Answer;
import dev.kappa.bank.account.AccountEvents.AccountOpened;
import dev.kappa.bank.account.AccountEvents.MoneyDeposited;
import dev.kappa.eventstore.AppendRequest;
import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.eventstore.StreamAppend;
import dev.kappa.postgres.embedded.junit.TestDatabase;
import dev.kappa.projections.CheckpointWaits;
import dev.kappa.projections.GenerationStatus;
import dev.kappa.projections.ProjectionMonitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The operator console of a running bank, in a real headless Chromium: what it shows equals the actuator's report,
 * an anonymous visitor sees no action, the operator watches a blue-green rebuild of 200,000 events from the click to
 * the switch-over and skips a poison event, and the page fits a phone and fetches nothing from elsewhere. The
 * screenshots go to {@code target/console-screenshots/}, the one taken mid-rebuild also to
 * {@code docs/images/console.png}.
 *
 * <p>The tests share one application and one browser, in order: the anonymous ones first, before the operator signs
 * in (the browser then keeps the credentials for the rest). Skipped when Chromium is not installed
 * ({@code .ci/run} installs it).
 */
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.security.user.name=operator",
        "spring.security.user.password=" + BankClient.OPERATOR_PASSWORD,
        "spring.security.user.roles=OPERATOR",
        // a new state four times a second, so that a rebuild of a few seconds shows many steps
        "kappa.console.refresh-interval=250ms",
        // 200 batches for the rebuild of 200,000 events, each paced by RebuildPace while the test watches
        "kappa.projections.catch-up-batch-size=1000"})
@Import(ConsoleBrowserTest.RebuildPace.class)
class ConsoleBrowserTest {

    /** Left for the JVM to end with: the cached application context may still use it when this class is done. */
    private static final TestDatabase DATABASE = TestDatabase.create();
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Path DOCS_SCREENSHOT = Path.of("../docs/images/console.png");
    private static final int BULK_EVENTS = 200_000;

    private static HeadlessChromium chromium;

    @LocalServerPort
    int port;
    @Autowired
    EventStore store;
    @Autowired
    ProjectionMonitor projections;
    @Autowired
    CheckpointWaits checkpoints;

    private BankClient bank;
    private BankClient operator;
    private ChromeDriver browser;
    private WebDriverWait wait;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
    }

    @BeforeAll
    static void startChromium() {
        assumeTrue(HeadlessChromium.installed(), "the console's browser tests are skipped: no Chromium at "
                + HeadlessChromium.CHROMIUM + " (apt-get install chromium chromium-driver; .ci/run installs both)");
        chromium = HeadlessChromium.start();
    }

    @AfterAll
    static void closeChromium() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void clients() {
        bank = new BankClient(port);
        operator = bank.asOperator();
        browser = chromium.driver();
        wait = new WebDriverWait(browser, PATIENCE);
    }

    @Test
    @Order(1)
    void anAnonymousVisitorSeesTheLogAndEveryProjectionAsTheActuatorReportsThemAndNoAction() {
        // given a bank that has done some business
        open("ann");
        open("ben");
        bank.post("/accounts/ann/deposits", Map.of("amount", 10_000, "currency", "EUR"));
        bank.post("/transfers", Map.of("from", "ann", "to", "ben", "amount", 2_500, "currency", "EUR"));

        // when someone who has not signed in opens the console
        openConsole();

        // then, once the page shows the head the actuator reports and nothing has moved since, the figures are equal
        await().atMost(PATIENCE).untilAsserted(() -> {
            Map<String, String> reported = reportedFigures();
            Map<String, String> shown = shownFigures();
            assertThat(reportedFigures()).as("the actuator's report, again: nothing moved meanwhile")
                    .isEqualTo(reported);
            assertThat(shown).as("the console's figures").isEqualTo(reported);
        });
        assertThat(shownFigures().keySet()).as("every projection is shown").containsAll(List.of("head",
                "account-summary.state", "account-transactions.state", "transfers.state", "customer-profiles.state",
                "account-cache.state", "transfer-process.state"));

        // and it offers no action, only a way to sign in, and does not complain that nobody is signed in
        assertThat(browser.findElements(By.cssSelector("button[data-action]"))).isEmpty();
        assertThat(browser.findElement(By.id("user")).getText()).containsIgnoringCase("read-only");
        assertThat(browser.findElement(By.cssSelector("a#sign-in")).getAttribute("href"))
                .endsWith("/kappa/sign-in");
        assertThat(browser.findElement(By.id("notice")).getText()).doesNotContainIgnoringCase("sign in")
                .doesNotContain("401", "403");
        assertThat(browser.findElement(By.id("connection")).getAttribute("data-state")).isEqualTo("live");
    }

    @Test
    @Order(2)
    void everythingThePageLoadsComesFromTheApplication() {
        openConsole();

        @SuppressWarnings("unchecked")
        List<String> loaded = (List<String>) browser.executeScript(
                "return performance.getEntries().map(entry => entry.name).filter(name => /^[a-z]+:/.test(name))");
        String origin = (String) browser.executeScript("return location.origin");

        assertThat(origin).isEqualTo("http://localhost:" + port);
        assertThat(loaded).as("the page and what it loaded").hasSizeGreaterThan(1)
                .allSatisfy(url -> assertThat(url).startsWith(origin + "/"));
    }

    @Test
    @Order(3)
    void theOperatorWatchesABlueGreenRebuildOf200000EventsFromTheClickToTheSwitchOver() throws Exception {
        // given a log of more than 200,000 events, all in the account summary
        bulkAppend();
        long head = store.head();
        assertThat(head).as("the events a rebuild replays").isGreaterThan(BULK_EVENTS);
        assertThat(checkpoints.awaitCheckpoint("account-summary", head, PATIENCE).reached()).isTrue();
        int serving = generation();

        // when the operator signs in, asks for a rebuild of the account summary and confirms it
        signIn();
        RebuildPace.on = true;
        try {
            act("rebuild", "account-summary", null);
            watchTheRebuild(serving);
        } finally {
            RebuildPace.on = false;
        }
        assertThat(actionRecords()).anySatisfy(record -> assertThat(record).contains("account-summary", "rebuild"));
    }

    private void watchTheRebuild(int serving) throws Exception {
        // then the page shows the new generation's progress rising, until the switch-over takes the bar away
        By bar = By.cssSelector("progress[data-progress='account-summary']");
        wait.until(ExpectedConditions.presenceOfElementLocated(bar));
        assertThat(browser.findElement(bar).getAttribute("data-kind")).isEqualTo("rebuild");
        List<Double> seen = new ArrayList<>();
        double[] max = {0};
        boolean[] screenshot = {false};
        new WebDriverWait(browser, PATIENCE, Duration.ofMillis(50)).until(driver -> {
            @SuppressWarnings("unchecked")
            List<Object> shown = (List<Object>) browser.executeScript("const bar = document.querySelector("
                    + "\"progress[data-progress='account-summary']\"); return bar ? [bar.value, bar.max] : null");
            if (shown == null) {
                return true;
            }
            double value = ((Number) shown.get(0)).doubleValue();
            max[0] = ((Number) shown.get(1)).doubleValue();
            if (seen.isEmpty() || seen.get(seen.size() - 1) != value) {
                seen.add(value);
            }
            if (!screenshot[0] && seen.size() >= 3 && value > max[0] * 0.2 && value < max[0] * 0.8) {
                Path taken = chromium.screenshot(SCREENSHOTS.resolve("rebuild.png"));
                copyToDocs(taken);
                screenshot[0] = true;
            }
            return false;
        });
        assertThat(seen).as("the progress bar's values").hasSizeGreaterThanOrEqualTo(4)
                .isSortedAccordingTo(Double::compare).doesNotHaveDuplicates();
        assertThat(screenshot[0]).as("a screenshot between 20%% and 80%% (seen: %s of %s)", seen, max[0]).isTrue();

        // and the switch-over happened: readers use the new generation, which is at the head
        assertThat(generation()).isGreaterThan(serving);
        waitForFigure("account-summary", "state", "RUNNING");
        waitForFigure("account-summary", "checkpoint", String.valueOf(store.head()));
    }

    /**
     * Paces the account summary's batches while {@link #on}: 10 ms each, so that the 200 batches of the rebuild take
     * at least two seconds, eight of the page's refreshes, however fast the machine (on CI's, unpaced, the page
     * once saw only three steps). It rides on the batches' observations, the seam an application has around each batch.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class RebuildPace {

        static volatile boolean on;

        @Bean
        ObservationHandler<Observation.Context> rebuildPace() {
            return new ObservationHandler<>() {
                @Override
                public boolean supportsContext(Observation.Context context) {
                    return "kappa.projection.batch".equals(context.getName());
                }

                @Override
                public void onStart(Observation.Context context) {
                    KeyValue projection = context.getLowCardinalityKeyValue("kappa.projection");
                    if (on && projection != null && "account-summary".equals(projection.getValue())) {
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            };
        }
    }

    @Test
    @Order(4)
    void theOperatorSeesAPoisonEventStopTheSummarySkipsItWithANoteAndTheSummaryRunsOn() {
        // given an event the account summary cannot apply: the balance column would overflow
        signIn();
        open("victim");
        bank.post("/accounts/victim/deposits", Map.of("amount", 1, "currency", "EUR"));
        long poison = store.append("account-victim", ExpectedVersion.any(),
                List.of(NewEvent.of(new MoneyDeposited("victim", Long.MAX_VALUE)))).toOffset();

        // then the page shows the projections stopped at it, naming its offset, its type and the error
        waitForFigure("account-summary", "state", "FAILED");
        WebElement failure = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("tr[data-projection='account-summary'] [data-field='failure']")));
        assertThat(failure.getText()).contains("MoneyDeposited", "out of range");
        assertThat(failure.getAttribute("data-value")).isEqualTo(String.valueOf(poison));

        // when the operator skips it with a note, in the summary and in the account cache (which fails on it too)
        String note = "deposit that overflowed before the balance limit";
        act("skip", "account-summary", poison, note);
        waitForFigure("account-cache", "state", "FAILED");
        act("skip", "account-cache", poison, note);

        // then the skipped event is kept as a dead letter, with its payload and its error: the payload as the log holds
        // it, digit for digit (a JSON number parsed by JavaScript keeps 15 to 17 significant digits, and this one has 19)
        By letter = By.cssSelector("section#dead-letters tr[data-dead-letter][data-projection='account-summary']"
                + "[data-offset='" + poison + "']");
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(letter));
        assertThat(row.findElement(By.cssSelector("[data-field='payload']")).getText())
                .contains(String.valueOf(Long.MAX_VALUE));
        assertThat(row.findElement(By.cssSelector("[data-field='error']")).getText()).contains("out of range");
        assertThat(row.findElement(By.cssSelector("[data-field='state']")).getText()).containsIgnoringCase("skipped");
        browser.executeScript("document.querySelector('section#dead-letters').scrollIntoView()");
        chromium.screenshot(SCREENSHOTS.resolve("dead-letter.png"));

        // and the summary runs on past it, and the action is on record with its note
        long deposited = bank.post("/accounts/ann/deposits", Map.of("amount", 1, "currency", "EUR")).offset();
        waitForFigure("account-summary", "state", "RUNNING");
        wait.until(driver -> Long.parseLong(figure("account-summary", "checkpoint")) >= deposited);
        assertThat(browser.findElements(By.cssSelector("tr[data-projection='account-summary'] [data-field='failure']")))
                .noneMatch(WebElement::isDisplayed);
        assertThat(actionRecords()).anySatisfy(record -> assertThat(record).contains("account-summary", "skip",
                note));
    }

    @Test
    @Order(5)
    void thePageFitsAPhoneAndA1280By800Screen() {
        try {
            // at 390×844, a phone's width
            chromium.viewport(390, 844, true);
            openConsole();
            assertThat(browser.executeScript("return window.innerWidth")).as("the layout width: the page declares"
                    + " a viewport of the device's width").isEqualTo(390L);
            assertFits("at 390 px");
            chromium.screenshot(SCREENSHOTS.resolve("phone.png"));

            // and at 1280×800
            chromium.viewport(1280, 800, false);
            openConsole();
            assertFits("at 1280 px");
            chromium.screenshot(SCREENSHOTS.resolve("overview.png"));
        } finally {
            chromium.viewport(1280, 800, false);
        }
    }

    /** Opens the console and waits until its live stream is open. */
    private void openConsole() {
        browser.get("http://localhost:" + port + "/kappa");
        wait.until(ExpectedConditions.attributeToBe(By.id("connection"), "data-state", "live"));
    }

    /**
     * Signs the browser in as the operator: {@code /kappa/sign-in} asks for HTTP basic credentials, which the URL
     * carries; Chromium keeps them and sends them with the console's requests from then on. The console is opened
     * again at its plain address: the redirect keeps the credentials in the page's address, and a page at such an
     * address may not fetch (a URL with credentials is refused) nor does Chromium send the kept ones from it.
     */
    private void signIn() {
        browser.get("http://operator:" + BankClient.OPERATOR_PASSWORD + "@localhost:" + port + "/kappa/sign-in");
        openConsole();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("user"), "operator"));
    }

    /** Clicks an action's button and confirms it in the dialog, with a note if given; waits for the outcome. */
    private void act(String action, String projection, Long offset, String... note) {
        String button = "button[data-action='" + action + "'][data-projection='" + projection + "']"
                + (offset == null ? "" : "[data-offset='" + offset + "']");
        int recorded = actionRecords().size();
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(button))).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog#confirm")));
        assertThat(dialog.findElement(By.id("confirm-text")).getText()).contains(projection);
        for (String line : note) {
            dialog.findElement(By.id("confirm-note")).sendKeys(line);
        }
        dialog.findElement(By.id("confirm-yes")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("dialog#confirm")));
        wait.until(driver -> actionRecords().size() > recorded);
        assertThat(actionRecords().get(0)).as("the newest action on record").contains(projection, action)
                .containsIgnoringCase("done");
    }

    /** The rows of {@code section#actions}, newest first, as text. */
    private List<String> actionRecords() {
        return browser.findElements(By.cssSelector("section#actions tr[data-action-record]")).stream()
                .map(WebElement::getText).toList();
    }

    /** A projection's figure as the page holds it: the raw value of its {@code data-field} cell. */
    private String figure(String projection, String field) {
        return browser.findElement(By.cssSelector("section#projections tr[data-projection='" + projection + "']"
                + " [data-field='" + field + "']")).getAttribute("data-value");
    }

    private void waitForFigure(String projection, String field, String value) {
        wait.until(driver -> value.equals(figure(projection, field)));
    }

    /** The head and each projection's state, checkpoint and lag as the page shows them, read in one go. */
    @SuppressWarnings("unchecked")
    private Map<String, String> shownFigures() {
        return (Map<String, String>) browser.executeScript("""
                const value = (root, field) => {
                    const cell = root.querySelector('[data-field="' + field + '"]');
                    return cell ? cell.dataset.value : 'missing';
                };
                const figures = { head: value(document.querySelector('section#log'), 'head') };
                document.querySelectorAll('section#projections tr[data-projection]').forEach(row => {
                    for (const field of ['state', 'checkpoint', 'lag']) {
                        figures[row.dataset.projection + '.' + field] = value(row, field);
                    }
                });
                return figures;""");
    }

    /** The same figures from the actuator's report, as the operator reads it. */
    private Map<String, String> reportedFigures() {
        Answer answer = operator.get("/actuator/kappa");
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        JsonNode report = answer.body();
        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("head", report.get("head").asString());
        for (JsonNode projection : report.get("projections")) {
            String name = projection.get("name").asString();
            JsonNode progress = projection.get("current").get("progress");
            figures.put(name + ".state", projection.get("state").asString());
            figures.put(name + ".checkpoint", progress.get("offset").asString());
            figures.put(name + ".lag", String.valueOf(Math.max(0,
                    progress.get("head").asLong() - progress.get("offset").asLong())));
        }
        return figures;
    }

    private void assertFits(String where) {
        Number scrollWidth = (Number) browser.executeScript("return document.body.scrollWidth");
        Number innerWidth = (Number) browser.executeScript("return window.innerWidth");
        assertThat(scrollWidth.longValue()).as("the body's width %s", where).isLessThanOrEqualTo(innerWidth.longValue());
        List<WebElement> rows = browser.findElements(By.cssSelector("section#projections tr[data-projection]"));
        assertThat(rows).as("the projections %s", where).hasSizeGreaterThanOrEqualTo(6)
                .allMatch(WebElement::isDisplayed);
    }

    /**
     * Appends {@value #BULK_EVENTS} deposits to 500 new accounts straight to the log, 10,000 events per append request
     * (one transaction each), as the benchmarks' bulk-append does: about as fast as PostgreSQL takes them.
     */
    private void bulkAppend() {
        int accounts = 500;
        List<StreamAppend> opened = new ArrayList<>();
        for (int account = 0; account < accounts; account++) {
            opened.add(StreamAppend.of("account-bulk-" + account, ExpectedVersion.noStream(),
                    NewEvent.of(new AccountOpened("bulk-" + account, "Bulk " + account, "EUR"))));
        }
        store.append(AppendRequest.of(opened));
        int perStream = 20;
        for (int round = 0; round < BULK_EVENTS / (accounts * perStream); round++) {
            List<StreamAppend> deposits = new ArrayList<>();
            for (int account = 0; account < accounts; account++) {
                NewEvent[] events = new NewEvent[perStream];
                for (int i = 0; i < perStream; i++) {
                    events[i] = NewEvent.of(new MoneyDeposited("bulk-" + account, 100));
                }
                deposits.add(StreamAppend.of("account-bulk-" + account, ExpectedVersion.any(), events));
            }
            store.append(AppendRequest.of(deposits));
        }
    }

    private int generation() {
        return projections.status("account-summary").current().map(GenerationStatus::generation).orElseThrow();
    }

    private static void copyToDocs(Path screenshot) {
        try {
            Files.createDirectories(DOCS_SCREENSHOT.getParent());
            Files.copy(screenshot, DOCS_SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the screenshot to " + DOCS_SCREENSHOT, e);
        }
    }

    private void open(String accountId) {
        Answer opened = bank.post("/accounts", Map.of("accountId", accountId, "owner", "Owner of " + accountId,
                "currency", "EUR"));
        assertThat(opened.status()).as("opening %s: %s", accountId, opened.body()).isEqualTo(201);
    }
}
