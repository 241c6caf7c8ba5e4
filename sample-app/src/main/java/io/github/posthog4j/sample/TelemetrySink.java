package io.github.posthog4j.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The embedded sink's OpenTelemetry routes, as PostHog's: {@code POST /sink/i/v1/logs}
 * (token in the {@code token} query parameter) and {@code POST /sink/i/v1/traces} (token
 * as a bearer token), OTLP/JSON bodies, gzip or plain. Keeps the most recent log records
 * and spans as received (one resource, one scope, the records), answers {@code {}} like
 * PostHog, and plays the same outage as the events routes ({@link LocalSink#isDown()}).
 */
@RestController
@RequestMapping("/sink/i/v1")
public class TelemetrySink {

    private static final int KEEP = 500;

    private final ObjectMapper json = new ObjectMapper();

    private final LocalSink sink;

    private final Deque<JsonNode> logs = new ArrayDeque<>();

    private final Deque<JsonNode> spans = new ArrayDeque<>();

    /** The last request body of each route, as received (envelope and records). */
    private final Map<String, JsonNode> last = new java.util.concurrent.ConcurrentHashMap<>();

    public TelemetrySink(LocalSink sink) {
        this.sink = sink;
    }

    @PostMapping(path = "/logs", consumes = MediaType.ALL_VALUE)
    public ResponseEntity<Map<String, Object>> logs(@RequestBody byte[] body,
            @RequestHeader(name = "Content-Encoding", required = false) @Nullable String encoding,
            @RequestParam(name = "token", required = false) @Nullable String token) throws IOException {
        return receive(body, encoding, token, "resourceLogs", "scopeLogs", "logRecords", this.logs);
    }

    @PostMapping(path = "/traces", consumes = MediaType.ALL_VALUE)
    public ResponseEntity<Map<String, Object>> traces(@RequestBody byte[] body,
            @RequestHeader(name = "Content-Encoding", required = false) @Nullable String encoding,
            @RequestHeader(name = "Authorization", required = false) @Nullable String authorization)
            throws IOException {
        String token = (authorization != null && authorization.startsWith("Bearer "))
                ? authorization.substring("Bearer ".length()) : null;
        return receive(body, encoding, token, "resourceSpans", "scopeSpans", "spans", this.spans);
    }

    private ResponseEntity<Map<String, Object>> receive(byte[] body, @Nullable String encoding, @Nullable String token,
            String resources, String scopes, String records, Deque<JsonNode> into) throws IOException {
        if (this.sink.isDown()) {
            return ResponseEntity.status(503).header("Retry-After", "1").build();
        }
        if (token == null || token.isBlank()) {
            return ResponseEntity.status(401).body(Map.of("error", "no token"));
        }
        JsonNode root = this.json.readTree("gzip".equalsIgnoreCase(encoding) ? gunzip(body) : body);
        if (root == null || !root.path(resources).isArray()) {
            return ResponseEntity.badRequest().body(Map.of("error", "expected OTLP JSON with " + resources));
        }
        this.last.put(resources, root);
        List<JsonNode> received = new ArrayList<>();
        root.path(resources)
            .forEach(
                    (resource) -> resource.path(scopes).forEach((scope) -> scope.path(records).forEach(received::add)));
        synchronized (into) {
            for (JsonNode record : received) {
                into.addFirst(record);
                while (into.size() > KEEP) {
                    into.removeLast();
                }
            }
        }
        return ResponseEntity.ok(Map.of());
    }

    /**
     * @param resources {@code resourceLogs} or {@code resourceSpans}
     * @return the last request body of that route (envelope and records), or null
     */
    public @Nullable JsonNode lastRequest(String resources) {
        return this.last.get(resources);
    }

    /**
     * @return the most recent log records, newest first
     */
    public List<JsonNode> logs() {
        return copy(this.logs);
    }

    /**
     * @return the most recent spans, newest first
     */
    public List<JsonNode> spans() {
        return copy(this.spans);
    }

    private static List<JsonNode> copy(Deque<JsonNode> records) {
        synchronized (records) {
            return new ArrayList<>(records);
        }
    }

    /**
     * Reads the attributes of an OTLP record into a plain map (string, int, double and
     * bool values; others as their JSON).
     * @param record a log record or span
     * @return the attributes
     */
    static Map<String, Object> attributes(JsonNode record) {
        Map<String, Object> out = new LinkedHashMap<>();
        record.path("attributes").forEach((kv) -> {
            JsonNode v = kv.path("value");
            Consumer<Object> put = (value) -> out.put(kv.path("key").asText(), value);
            if (v.has("stringValue")) {
                put.accept(v.get("stringValue").asText());
            }
            else if (v.has("intValue")) {
                put.accept(Long.parseLong(v.get("intValue").asText()));
            }
            else if (v.has("doubleValue")) {
                put.accept(v.get("doubleValue").asDouble());
            }
            else if (v.has("boolValue")) {
                put.accept(v.get("boolValue").asBoolean());
            }
            else {
                put.accept(v.toString());
            }
        });
        return out;
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

}
