package io.github.posthog4j.client.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.LogOptions;
import io.github.posthog4j.client.LogSeverity;
import io.github.posthog4j.client.LogsConfig;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClientStatus;
import io.github.posthog4j.client.RequestReport;
import io.github.posthog4j.client.TracesConfig;
import io.github.posthog4j.testsupport.LogCapture;
import io.github.posthog4j.testsupport.LogCapture.CapturedLog;
import io.github.posthog4j.testsupport.PosthogExtension;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The logs specification's persistent queue with the spool on: log records are appended
 * to a spool of their own ({@code <spool>/logs}) before {@code captureLog} returns, stay
 * there while PostHog is down and across a restart, and are delivered by the next client
 * on the same directory without a new record to wake it. Traces stay in memory (the
 * traces specification). The kill -9 test is
 * {@code SpoolCrashRecoveryTests.whenKilledDuringAFlatOutLogCaptureShouldDeliverEveryReturnedLogRecordAfterRestart}.
 */
@ExtendWith(LogCapture.class)
class LogsSpoolTests {

    @RegisterExtension
    final PosthogExtension posthog = PosthogExtension.withDefaults((b) -> b.retryInitialBackoff(Duration.ofMillis(10))
        .retryMaxBackoff(Duration.ofMillis(40))
        .logs(LogsConfig.builder().flushInterval(Duration.ofMillis(50)).build())
        .traces(TracesConfig.builder().flushInterval(Duration.ofMillis(50)).build()));

    @TempDir
    Path dir;

    private static PosthogClientStatus logs(ManagedPosthogClient client) {
        return client.pipelineStatus().get(RequestReport.LOGS);
    }

    @Test
    @DisplayName("survives restart; persisted records resume on launch")
    void survivesRestartAndResumesOnLaunch(CapturedLog output) {
        this.posthog.server().defaultReply(Reply.status(503));
        ManagedPosthogClient down = this.posthog.track(this.posthog.builder()
            .spool(this.dir)
            .maxRetries(1_000) // never given up while the client runs: only close ends it
            .shutdownTimeout(Duration.ofMillis(300))
            .buildStopped());
        for (int i = 0; i < 500; i++) {
            down.captureLog(LogOptions.builder("record " + i).severity(LogSeverity.WARN).attribute("i", i).build());
        }
        assertThat(logs(down).queueSize()).isEqualTo(500);
        assertThat(logs(down).dropped()).allSatisfy((reason, n) -> assertThat(n).as("%s", reason).isZero());
        down.close();
        assertThat(output.getAll())
            .contains("500 log records undelivered; they stay in the spool " + this.dir.resolve("logs"));
        assertThat(this.posthog.server().logRecords()).isEmpty();

        this.posthog.server().defaultReply(Reply.ok());
        // no log record is captured by the new client: the old ones are delivered anyway
        ManagedPosthogClient next = this.posthog.client((b) -> b.spool(this.dir));
        await().atMost(Duration.ofSeconds(10)).until(() -> this.posthog.server().logRecords().size() >= 500);
        List<JsonNode> records = this.posthog.server().logRecords();
        assertThat(records).extracting((r) -> r.get("body").get("stringValue").asText())
            .containsExactlyElementsOf(IntStream.range(0, 500).mapToObj((i) -> "record " + i).toList());
        assertThat(records.get(7).get("severityText").asText()).isEqualTo("WARN");
        assertThat(records.get(7).get("attributes").get(0).get("value").get("intValue").asText()).isEqualTo("7");
        assertThat(this.posthog.server().batchRequests()).as("log records never travel as events").isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> logs(next).queueSize() == 0);
        next.close();

        // delivered records were acknowledged in the spool: a third start sends none
        // again
        ManagedPosthogClient third = this.posthog.client((b) -> b.spool(this.dir));
        third.flush(Duration.ofSeconds(5));
        third.close();
        assertThat(this.posthog.server().logRecords()).hasSize(500);
    }

    @Test
    @DisplayName("a full logs spool refuses new records, counted as spool_full, and never grows past its budget")
    void fullLogsSpoolRefusesNewRecords(CapturedLog output) throws IOException {
        this.posthog.server().defaultReply(Reply.status(503));
        ManagedPosthogClient client = this.posthog.stoppedClient((b) -> b.spool(this.dir)
            .spoolMaxBytes(1024 * 1024) // the logs spool: a quarter of it
            .logs(LogsConfig.builder().rateCapMaxLogs(0).build()));
        String pad = "x".repeat(200);
        for (int i = 0; i < 5_000; i++) {
            client.captureLog(pad + i);
        }
        PosthogClientStatus logs = logs(client);
        long refused = logs.dropped().getOrDefault(DropReason.SPOOL_FULL, 0L);
        assertThat(refused).isPositive();
        assertThat(logs.queueSize()).isPositive();
        assertThat(logs.queueSize() + refused).isEqualTo(5_000);
        assertThat(bytes(this.dir.resolve("logs"))).isLessThanOrEqualTo(256 * 1024);
        assertThat(client.status().dropped()).as("the events pipeline's counters")
            .allSatisfy((reason, n) -> assertThat(n).as("%s", reason).isZero());
        await().atMost(Duration.ofSeconds(5))
            .until(() -> output.getAll().contains("The PostHog spool in " + this.dir.resolve("logs") + " is full"));
        assertThat(output.getAll()).contains("log records since the last report");
    }

    @Test
    @DisplayName("spans stay in memory with the spool on (the traces specification)")
    void spansStayInMemory() {
        this.posthog.server().defaultReply(Reply.status(503));
        ManagedPosthogClient down = this.posthog
            .stoppedClient((b) -> b.spool(this.dir).maxRetries(1_000).shutdownTimeout(Duration.ofMillis(300)));
        down.startSpan("lost with the process").end();
        down.captureLog("kept");
        assertThat(down.pipelineStatus().get(RequestReport.TRACES).queueSize()).isEqualTo(1);
        down.close();
        assertThat(down.pipelineStatus().get(RequestReport.TRACES).dropped()).containsEntry(DropReason.CLOSED, 1L);

        this.posthog.server().defaultReply(Reply.ok());
        ManagedPosthogClient next = this.posthog.client((b) -> b.spool(this.dir));
        await().atMost(Duration.ofSeconds(10)).until(() -> this.posthog.server().logRecords().size() == 1);
        next.flush(Duration.ofSeconds(5));
        assertThat(this.posthog.server().spans()).isEmpty();
        assertThat(this.dir.resolve("traces")).doesNotExist();
    }

    @Test
    @DisplayName("a logs spool directory that cannot be used leaves log records in memory, with a WARN")
    void unusableLogsSpoolFallsBackToMemory(CapturedLog output) throws IOException {
        Files.createDirectories(this.dir);
        Files.writeString(this.dir.resolve("logs"), "a file where the logs spool would be");
        ManagedPosthogClient client = this.posthog.client((b) -> b.spool(this.dir));
        client.captureLog("still delivered");
        client.flush(Duration.ofSeconds(5));
        assertThat(this.posthog.server().logRecords()).extracting((r) -> r.get("body").get("stringValue").asText())
            .containsExactly("still delivered");
        await().atMost(Duration.ofSeconds(5))
            .until(() -> output.getAll().contains("PostHog log records stay in memory (not in the spool)"));
    }

    private static long bytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong((p) -> p.toFile().length()).sum();
        }
    }

}
