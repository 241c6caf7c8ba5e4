package io.github.posthog4j.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

/**
 * Logs and traces end to end in the sample app (both on in {@code application.yml}), on a
 * random port: one request to the dashboard's traced endpoint shows its log lines
 * (Logback appender) and its span waterfall (Micrometer bridge, withSpan) arriving at the
 * embedded sink's {@code /i/v1/logs} and {@code /i/v1/traces}, joined to the caller's
 * PostHog distinct id. Uses only APIs present in Spring Boot 3.5, 4.0 and 4.1.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TelemetryPanelTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newHttpClient();

    private final ObjectMapper json = new ObjectMapper();

    @Autowired
    private Environment environment;

    private URI url(String path) {
        return URI.create("http://localhost:" + this.environment.getProperty("local.server.port") + path);
    }

    private JsonNode send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = this.http.send(request.timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return this.json.readTree(response.body());
    }

    @Test
    void oneRequestShowsItsLogLinesAndItsSpanWaterfallAtTheSink() throws Exception {
        JsonNode run = send(HttpRequest.newBuilder(url("/api/telemetry/run?items=3"))
            .header("X-POSTHOG-DISTINCT-ID", "alice")
            .header("X-POSTHOG-SESSION-ID", "session-7")
            .POST(HttpRequest.BodyPublishers.noBody()));
        String traceId = run.get("traceId").asText();
        assertThat(traceId).matches("[0-9a-f]{32}");

        JsonNode[] telemetry = new JsonNode[1];
        await().atMost(WAIT).until(() -> {
            telemetry[0] = send(HttpRequest.newBuilder(url("/api/telemetry?traceId=" + traceId)));
            return telemetry[0].get("spans").size() >= 3 && telemetry[0].get("logs").size() >= 4;
        });
        JsonNode spans = telemetry[0].get("spans");
        List<String> names = new ArrayList<>();
        spans.forEach((s) -> names.add(s.get("name").asText()));
        assertThat(names).containsExactly("http post /api/telemetry/run", "inventory.check", "price.compute");
        JsonNode root = spans.get(0);
        assertThat(root.get("offsetMillis").asDouble()).isZero();
        assertThat(root.get("kind").asInt()).isEqualTo(2);
        assertThat(root.get("attributes").get("posthogDistinctId").asText()).isEqualTo("alice");
        assertThat(root.get("attributes").get("sessionId").asText()).isEqualTo("session-7");
        for (int i = 1; i < spans.size(); i++) {
            assertThat(spans.get(i).get("parentSpanId").asText()).isEqualTo(root.get("spanId").asText());
            assertThat(spans.get(i).get("offsetMillis").asDouble()).isGreaterThanOrEqualTo(0);
            assertThat(spans.get(i).get("attributes").get("posthogDistinctId").asText()).isEqualTo("alice");
        }
        assertThat(spans.get(2).get("attributes").get("items").asLong()).isEqualTo(3);

        JsonNode logs = telemetry[0].get("logs");
        List<String> bodies = new ArrayList<>();
        logs.forEach((l) -> bodies.add(l.get("severity").asText() + " " + l.get("body").asText()));
        assertThat(bodies).containsExactly("INFO checkout started with 3 items", "INFO inventory reserved",
                "WARN bulk discount applied to 3 items", "INFO checkout done: 3397 cents");
        for (JsonNode l : logs) {
            assertThat(l.get("attributes").get("posthogDistinctId").asText()).isEqualTo("alice");
            assertThat(l.get("attributes").get("cart.items").asText()).isEqualTo("3");
            assertThat(l.get("attributes").get("logger.name").asText()).isEqualTo(TelemetryPanel.class.getName());
        }
        System.out.println("Log record as sent by the sample app: "
                + this.json.writerWithDefaultPrettyPrinter().writeValueAsString(logs.get(2).get("record")));
        System.out.println("Span as sent by the sample app: "
                + this.json.writerWithDefaultPrettyPrinter().writeValueAsString(spans.get(2).get("record")));
        System.out.println("Last /i/v1/traces envelope: " + this.json.writerWithDefaultPrettyPrinter()
            .writeValueAsString(this.sink.lastRequest("resourceSpans")));
        // each line carries the span it was logged in
        assertThat(logs.get(1).get("spanId").asText()).isEqualTo(spans.get(1).get("spanId").asText());
        assertThat(logs.get(2).get("spanId").asText()).isEqualTo(spans.get(2).get("spanId").asText());
        assertThat(logs.get(0).get("spanId").asText()).isEqualTo(root.get("spanId").asText());
    }

    @Test
    void theSinksOwnRoutesAreNotTraced() throws Exception {
        send(HttpRequest.newBuilder(url("/api/telemetry/run?items=1")).POST(HttpRequest.BodyPublishers.noBody()));
        await().atMost(WAIT).until(() -> this.sink.spans().size() >= 3);
        // a span for a request to the sink would make the client send another one, for
        // ever
        assertThat(this.sink.spans()).allSatisfy((span) -> assertThat(span.toString()).doesNotContain("/sink"));
    }

    @Autowired
    private TelemetrySink sink;

}
