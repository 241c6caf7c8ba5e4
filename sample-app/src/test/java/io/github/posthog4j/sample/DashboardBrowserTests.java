package io.github.posthog4j.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClientBuilder;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}, installed by {@code scripts/ensure-tools.sh}), against the
 * sample app on a random port sending to its embedded sink over real HTTP. Clicks
 * "capture 10,000 events" and waits for sent to reach 10,000 with nothing dropped, then
 * "PostHog down for 10 s" and watches the queue grow while the sink answers 503 and drain
 * back to 0 with every captured event delivered (the sink's distinct uuids equal the
 * client's captured count). Then restarts the client (new consumers) and presses "throw".
 * Every figure is read from the page, as a person would; the figures are printed and a
 * screenshot is saved to {@code docs/images/dashboard.png}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.application.name=posthog-sample-browser-test")
class DashboardBrowserTests {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Autowired
    private Environment environment;

    @Autowired
    private ManagedPosthogClient client;

    private ChromeDriverService service;

    private WebDriver browser;

    private Path profile;

    @BeforeEach
    void startBrowser() throws IOException {
        assertThat(CHROMIUM).as("Debian's chromium: run scripts/ensure-tools.sh").isExecutable();
        assertThat(CHROMEDRIVER).as("Debian's chromium-driver: run scripts/ensure-tools.sh").isExecutable();
        profile = Files.createTempDirectory("dashboard-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Headless as root on a machine without network: no sandbox, no GPU, none of
        // Chromium's
        // own connections (they are refused here), and a fresh profile.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1440,1100");
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1440, 1100));
    }

    @AfterEach
    void stopBrowser() throws IOException {
        try {
            if (browser != null) {
                browser.quit();
            }
            if (service != null) {
                service.stop();
            }
        }
        finally {
            if (profile != null) {
                try (Stream<Path> files = Files.walk(profile)) {
                    files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                }
            }
        }
    }

    @Test
    void whenBurstAndOutageClickedShouldDeliverEveryEventWithNothingDropped() throws Exception {
        browser.get("http://localhost:" + environment.getProperty("local.server.port") + "/");
        await(Duration.ofSeconds(20), "the page shows the running client",
                () -> "delivering".equals(text("engine")) && value("sent") >= 0);
        assertThat(value("captured")).as("a fresh application: nothing captured yet").isZero();
        await(Duration.ofSeconds(40), "the flag panel shows alice's flags, evaluated locally",
                () -> text("flag-rows").contains("button-color") && text("flag-rows").contains("new-checkout")
                        && text("flag-rows").contains("local"));

        // capture 10,000 events: sent reaches 10,000, dropped stays 0
        long burstClicked = System.nanoTime();
        browser.findElement(By.id("btn-burst")).click();
        await(Duration.ofSeconds(60), "sent reaches 10,000", () -> value("sent") >= 10_000);
        double burstSeconds = (System.nanoTime() - burstClicked) / 1e9;
        assertThat(value("sent")).isEqualTo(10_000);
        assertThat(value("dropped")).isZero();
        await(Duration.ofSeconds(20), "the sink holds all 10,000", () -> value("delivered") == 10_000);

        // PostHog down for 10 s: the queue grows, then drains to 0 with every event
        // delivered
        browser.findElement(By.id("btn-outage")).click();
        await(Duration.ofSeconds(10), "the outage starts", () -> "down".equals(state("outage")));
        long[] peakSeen = { 0 };
        await(Duration.ofSeconds(60), "drained within a minute", () -> {
            peakSeen[0] = Math.max(peakSeen[0], value("queue"));
            assertThat(value("dropped")).as("dropped stays 0 during the outage").isZero();
            return "drained".equals(state("outage"));
        });
        await(Duration.ofSeconds(10), "the page shows every event delivered",
                () -> value("queue") == 0 && value("delivered") == value("captured"));
        long captured = value("captured");
        long whileDown = value("outage-captured");
        long drainMillis = value("drain-time");
        assertThat(peakSeen[0]).as("the queue grew while PostHog was down").isGreaterThan(100);
        assertThat(value("outage-peak")).isGreaterThanOrEqualTo(peakSeen[0]);
        assertThat(whileDown).as("simulated traffic kept capturing").isGreaterThan(1_000);
        assertThat(value("outage-dropped")).isZero();
        assertThat(value("dropped")).isZero();
        assertThat(value("delivered")).as("every captured event reached the sink").isEqualTo(captured);
        assertThat(captured).isEqualTo(10_000 + whileDown);
        assertThat(client.status().droppedTotal()).isZero();

        // restart the client: new consumers, the same queue; throw: the endpoint answers
        // 500
        long restarts = value("restarts");
        browser.findElement(By.id("btn-restart")).click();
        await(Duration.ofSeconds(20), "the consumers restart", () -> value("restarts") == restarts + 1
                && value("consumers") == PosthogClientBuilder.DEFAULT_CONSUMER_THREADS);
        browser.findElement(By.id("btn-throw")).click();
        await(Duration.ofSeconds(10), "the thrown exception is reported",
                () -> text("throw-result").startsWith("HTTP 500"));
        // ask the chat model: its $ai_generation event reaches the sink and the events
        // list
        browser.findElement(By.id("btn-chat")).click();
        await(Duration.ofSeconds(10), "the chat model answers", () -> text("chat-result").startsWith("The model"));
        await(Duration.ofSeconds(20), "the $ai_generation event is listed",
                () -> text("event-rows").contains("$ai_generation"));
        // logs and traces: one traced request, its spans as a waterfall and its log lines
        browser.findElement(By.id("btn-telemetry")).click();
        await(Duration.ofSeconds(30), "the request's spans and log lines arrive",
                () -> browser.findElements(By.cssSelector("#telemetry-spans .span")).size() == 3
                        && browser.findElements(By.cssSelector("#telemetry-logs tr")).size() == 4
                        && !text("telemetry-logs").contains("none yet"));
        assertThat(browser.findElements(By.cssSelector("#telemetry-spans .span")))
            .extracting((e) -> e.getDomAttribute("data-name"))
            .containsExactly("http post /api/telemetry/run", "inventory.check", "price.compute");
        assertThat(text("telemetry-logs")).contains("bulk discount applied to 3 items").contains("alice");
        assertThat(browser.findElement(By.id("errors")).getDomProperty("textContent")).as("script errors on the page")
            .isEmpty();

        await(Duration.ofSeconds(10), "the chart shows the drained queue",
                () -> "0".equals(browser.findElement(By.id("chart")).getDomAttribute("data-last-queue")));
        // the screenshot shows the top of the page (the telemetry step scrolled it down)
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
        await(Duration.ofSeconds(10), "the latest $exception panel shows the thrown exception",
                () -> text("latest-exception").contains("DashboardException"));
        Path screenshot = Path.of(System.getProperty("sample.screenshot", "target/dashboard.png"));
        Files.createDirectories(screenshot.getParent());
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);

        System.out.printf("Dashboard browser test figures: burst of 10,000 events sent in %.1f s; outage of 10 s: "
                + "%,d events captured while PostHog was down, queue peaked at %,d, drained %.1f s after PostHog "
                + "came back; %,d events captured in all, %,d delivered, dropped %d; screenshot %s%n", burstSeconds,
                whileDown, value("outage-peak"), drainMillis / 1000.0, captured, value("delivered"), value("dropped"),
                screenshot.toAbsolutePath().normalize());
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText().strip();
    }

    private String state(String id) {
        return browser.findElement(By.id(id)).getDomAttribute("data-state");
    }

    private long value(String id) {
        WebElement element = browser.findElement(By.id(id));
        String value = element.getDomAttribute("data-value");
        return (value == null || value.isEmpty()) ? -1 : Long.parseLong(value);
    }

    private void await(Duration timeout, String what, java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, timeout, Duration.ofMillis(100)).withMessage(what)
            .until((driver) -> condition.getAsBoolean());
    }

}
