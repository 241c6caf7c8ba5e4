package io.github.posthog4j.sample;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogSpan;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dashboard's logs and traces panel. {@code POST /api/telemetry/run} is an ordinary
 * traced request: it logs through SLF4J (the Logback appender sends the lines, with the
 * request's PostHog distinct id and the trace ids), runs an observed step (a Micrometer
 * observation: a span through the bridge) and a {@code withSpan} step, and answers with
 * its trace id. {@code GET /api/telemetry?traceId=...} lists what the embedded sink
 * received for that trace: the log lines and the spans as a waterfall (offsets and
 * durations in milliseconds).
 */
@RestController
public class TelemetryPanel {

    private static final Logger log = LoggerFactory.getLogger(TelemetryPanel.class);

    private final PosthogClient posthog;

    private final ObservationRegistry observations;

    private final TelemetrySink sink;

    private final com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

    public TelemetryPanel(PosthogClient posthog, ObservationRegistry observations, TelemetrySink sink) {
        this.posthog = posthog;
        this.observations = observations;
        this.sink = sink;
    }

    @PostMapping("/api/telemetry/run")
    public Map<String, @Nullable Object> run(@RequestParam(defaultValue = "3") int items) {
        PosthogSpan request = this.posthog.getActiveSpan(); // the bridge's server span
        MDC.put("cart.items", String.valueOf(items));
        try {
            log.info("checkout started with {} items", items);
            Observation.createNotStarted("inventory.check", this.observations)
                .lowCardinalityKeyValue("warehouse", "eu-1")
                .observe(() -> log.info("inventory reserved"));
            long total = this.posthog.withSpan("price.compute", (span) -> {
                span.setAttribute("items", items);
                long cents = 1299L * items;
                if (items > 2) {
                    log.warn("bulk discount applied to {} items", items);
                    cents -= 500;
                }
                return cents;
            });
            log.info("checkout done: {} cents", total);
        }
        finally {
            MDC.remove("cart.items");
        }
        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        body.put("traceId", (request != null) ? request.traceId() : null);
        return body;
    }

    @GetMapping("/api/telemetry")
    public Map<String, Object> telemetry(@RequestParam String traceId) {
        List<Map<String, Object>> logs = new ArrayList<>();
        for (JsonNode record : this.sink.logs()) {
            if (traceId.equals(record.path("traceId").asText())) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("time", Long.parseLong(record.path("timeUnixNano").asText("0")));
                row.put("severity", record.path("severityText").asText());
                row.put("body", record.path("body").path("stringValue").asText());
                row.put("spanId", record.path("spanId").asText());
                row.put("attributes", TelemetrySink.attributes(record));
                row.put("record", plain(record));
                logs.add(row);
            }
        }
        logs.sort(Comparator.comparingLong((row) -> (Long) row.get("time")));
        List<JsonNode> spans = new ArrayList<>();
        for (JsonNode span : this.sink.spans()) {
            if (traceId.equals(span.path("traceId").asText())) {
                spans.add(span);
            }
        }
        spans.sort(Comparator.comparingLong(TelemetryPanel::start));
        long origin = spans.isEmpty() ? 0 : start(spans.get(0));
        List<Map<String, Object>> waterfall = new ArrayList<>();
        for (JsonNode span : spans) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", span.path("name").asText());
            row.put("spanId", span.path("spanId").asText());
            row.put("parentSpanId", span.path("parentSpanId").asText(null));
            row.put("kind", span.path("kind").asInt());
            row.put("offsetMillis", (start(span) - origin) / 1e6);
            row.put("durationMillis", (Long.parseLong(span.path("endTimeUnixNano").asText("0")) - start(span)) / 1e6);
            row.put("error", span.path("status").path("code").asInt() == 2);
            row.put("attributes", TelemetrySink.attributes(span));
            row.put("record", plain(span));
            waterfall.add(row);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("traceId", traceId);
        body.put("logs", logs);
        body.put("spans", waterfall);
        return body;
    }

    /**
     * A record as plain maps and lists (the web layer may use another Jackson line than
     * the sink's parser).
     */
    private Object plain(JsonNode record) {
        return this.json.convertValue(record, Map.class);
    }

    private static long start(JsonNode span) {
        return Long.parseLong(span.path("startTimeUnixNano").asText("0"));
    }

}
