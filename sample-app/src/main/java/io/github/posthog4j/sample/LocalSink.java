package io.github.posthog4j.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An embedded stand-in for PostHog's capture API, so the sample runs without an account:
 * accepts {@code POST /sink/batch/} and the AI route {@code POST /sink/i/v0/ai/batch/}
 * (gzip or plain JSON) and keeps the most recent events in memory. {@code GET
 * /sink/events} lists them as JSON; the dashboard shows them. It counts the distinct
 * event uuids it received (so that "every event delivered" can be checked, and duplicates
 * seen), and can play an outage: {@link #down(Duration)} makes every endpoint answer 503
 * for a while.
 */
@RestController
@RequestMapping("/sink")
public class LocalSink {

    private static final int KEEP = 200;

    private final ObjectMapper json = new ObjectMapper();

    private final Deque<Map<String, Object>> recent = new ArrayDeque<>();

    /**
     * Remembered uuids, for the distinct count; bounded so a long-running demo stays
     * small.
     */
    private static final int MAX_UUIDS = 1_000_000;

    private final AtomicLong received = new AtomicLong();

    private final Set<String> uuids = new LinkedHashSet<>();

    private long unique;

    private long duplicates;

    private volatile long downUntilMillis;

    /**
     * Answers 503 to every request for this long, as PostHog would during an outage.
     * @param duration how long
     */
    public void down(Duration duration) {
        downUntilMillis = System.currentTimeMillis() + duration.toMillis();
    }

    /**
     * @return whether the sink is playing an outage now
     */
    public boolean isDown() {
        return System.currentTimeMillis() < downUntilMillis;
    }

    /**
     * @return how long the outage still lasts, zero when up
     */
    public Duration downFor() {
        return Duration.ofMillis(Math.max(0, downUntilMillis - System.currentTimeMillis()));
    }

    private static <T> ResponseEntity<T> unavailable() {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1").build();
    }

    @PostMapping(path = { "/batch/", "/i/v0/ai/batch/" }, consumes = MediaType.ALL_VALUE)
    public ResponseEntity<Map<String, Object>> batch(@RequestBody byte[] body,
            @RequestHeader(name = "Content-Encoding", required = false) String encoding) throws IOException {
        if (isDown()) {
            return unavailable();
        }
        byte[] raw = "gzip".equalsIgnoreCase(encoding) ? gunzip(body) : body;
        JsonNode root = json.readTree(raw);
        if (root == null || !root.path("batch").isArray() || !root.hasNonNull("api_key")) {
            return ResponseEntity.badRequest().body(Map.of("error", "expected {\"api_key\": ..., \"batch\": [...]}"));
        }
        Instant now = Instant.now();
        for (JsonNode event : root.get("batch")) {
            Map<String, Object> kept = new LinkedHashMap<>();
            kept.put("receivedAt", now.toString());
            kept.put("uuid", event.path("uuid").asText());
            kept.put("event", event.path("event").asText());
            kept.put("distinctId", event.path("distinct_id").asText());
            kept.put("timestamp", event.path("timestamp").asText());
            kept.put("properties", json.convertValue(event.path("properties"), Map.class));
            synchronized (recent) {
                recent.addFirst(kept);
                while (recent.size() > KEEP) {
                    recent.removeLast();
                }
                String uuid = event.path("uuid").asText();
                if (uuids.add(uuid)) {
                    unique++;
                    if (uuids.size() > MAX_UUIDS) {
                        uuids.remove(uuids.iterator().next());
                    }
                }
                else {
                    duplicates++;
                }
            }
            received.incrementAndGet();
        }
        return ResponseEntity.ok(Map.of("status", "Ok"));
    }

    /**
     * Flag definitions for local evaluation, as PostHog's
     * {@code /api/feature_flag/local_evaluation/} serves them: {@code new-checkout} on
     * for half of the users, {@code button-color} a multivariate flag (blue/green) with a
     * JSON payload per variant.
     */
    static final String FLAG_DEFINITIONS = """
            {"flags": [
              {"id": 1, "key": "new-checkout", "active": true,
               "filters": {"groups": [{"properties": [], "rollout_percentage": 50}]}},
              {"id": 2, "key": "button-color", "active": true,
               "filters": {"groups": [{"properties": [], "rollout_percentage": 100}],
                           "multivariate": {"variants": [{"key": "blue", "rollout_percentage": 50},
                                                         {"key": "green", "rollout_percentage": 50}]},
                           "payloads": {"blue": "{\\"hex\\": \\"#1f6feb\\"}",
                                        "green": "{\\"hex\\": \\"#2da44e\\"}"}}}
             ],
             "group_type_mapping": {}, "cohorts": {}}
            """;

    @GetMapping("/api/feature_flag/local_evaluation/")
    public ResponseEntity<String> flagDefinitions() {
        if (isDown()) {
            return unavailable();
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(FLAG_DEFINITIONS);
    }

    /**
     * Remote evaluation fallback: the sink decides nothing remotely (every sample flag is
     * decided locally).
     */
    @PostMapping(path = "/flags/", consumes = MediaType.ALL_VALUE)
    public ResponseEntity<Map<String, Object>> flags() {
        if (isDown()) {
            return unavailable();
        }
        return ResponseEntity.ok(Map.of("flags", Map.of(), "errorsWhileComputingFlags", false));
    }

    @GetMapping("/events")
    public Map<String, Object> events() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("received", received.get());
        body.put("unique", unique());
        body.put("duplicates", duplicates());
        body.put("events", recent());
        return body;
    }

    /**
     * @return the most recent events, newest first
     */
    public List<Map<String, Object>> recent() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    /**
     * @return how many events the sink received since start-up
     */
    public long received() {
        return received.get();
    }

    /**
     * @return how many distinct event uuids the sink received since start-up
     */
    public long unique() {
        synchronized (recent) {
            return unique;
        }
    }

    /**
     * @return how many events arrived again with a uuid already received
     */
    public long duplicates() {
        synchronized (recent) {
            return duplicates;
        }
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

}
