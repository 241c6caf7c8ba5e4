package io.github.posthog4j.compliance;

import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogClientBuilder;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The adapter interface of the harness contract (CONTRACT.yaml
 * {@code adapter_interface}). Every endpoint but {@code /health} works on the SDK
 * instance of the request's test id: the {@code test_id} query parameter (what the
 * harness sends in parallel mode), else an {@code X-Test-Id} request header, else the
 * global instance.
 */
@RestController
class AdapterController {

    static final String SDK_NAME = "posthog-spring-boot";

    /** Declared honestly: only what the client implements. */
    static final List<String> CAPABILITIES = List.of("capture_v0", "encoding_gzip");

    private static final Properties VERSIONS = loadVersions();

    private final SdkInstances instances;

    AdapterController(SdkInstances instances) {
        this.instances = instances;
    }

    private static Properties loadVersions() {
        Properties p = new Properties();
        try (InputStream in = AdapterController.class.getResourceAsStream("/adapter-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return p;
    }

    static String testId(String queryTestId, String headerTestId) {
        if (queryTestId != null && !queryTestId.isBlank()) {
            return queryTestId;
        }
        if (headerTestId != null && !headerTestId.isBlank()) {
            return headerTestId;
        }
        return SdkInstances.GLOBAL;
    }

    @GetMapping("/health")
    Map<String, Object> health() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sdk_name", SDK_NAME);
        body.put("sdk_version", VERSIONS.getProperty("sdk.version", "unknown"));
        body.put("adapter_version", VERSIONS.getProperty("adapter.version", "unknown"));
        body.put("supports_parallel", true);
        body.put("capabilities", CAPABILITIES);
        return body;
    }

    @PostMapping("/init")
    ResponseEntity<Map<String, Object>> init(@RequestParam(name = "test_id", required = false) String queryTestId,
            @RequestHeader(name = "X-Test-Id", required = false) String headerTestId,
            @RequestBody Map<String, Object> body, HttpServletRequest request) {
        String testId = testId(queryTestId, headerTestId);
        Object apiKey = body.get("api_key");
        Object host = body.get("host");
        if (!(apiKey instanceof String) || !(host instanceof String)) {
            return error(HttpStatus.BAD_REQUEST, "api_key and host are required strings");
        }
        // The client has no public hook for extra request headers, so a test-scoped
        // instance talks to the
        // adapter's own relay, which adds X-Test-Id and forwards to the host unchanged
        // (see TestIdRelay).
        String clientHost = (String) host;
        SdkInstance instance;
        if (testId.isEmpty()) {
            instance = new SdkInstance(testId, null);
        }
        else {
            instance = new SdkInstance(testId, (String) host);
            clientHost = "http://127.0.0.1:" + request.getLocalPort() + TestIdRelay.PREFIX + testId;
        }
        PosthogClientBuilder builder = PosthogClient.builder((String) apiKey)
            .host(clientHost)
            .flushAt(intParam(body, "flush_at", 100))
            .flushInterval(Duration.ofMillis(intParam(body, "flush_interval_ms", 500)))
            .maxRetries(intParam(body, "max_retries", 3))
            .compression(boolParam(body, "enable_compression", false))
            .disableGeoip(boolParam(body, "disable_geoip", false))
            .historicalMigration(boolParam(body, "historical_migration", false))
            .shutdownTimeout(Duration.ofSeconds(3))
            .listener(instance);
        ManagedPosthogClient client;
        try {
            client = builder.build();
        }
        catch (RuntimeException ex) {
            return error(HttpStatus.BAD_REQUEST, ex.getMessage());
        }
        instance.attach(client);
        instances.put(testId, instance);
        return ResponseEntity.ok(Map.of("success", true));
    }

    @PostMapping("/capture")
    ResponseEntity<Map<String, Object>> capture(@RequestParam(name = "test_id", required = false) String queryTestId,
            @RequestHeader(name = "X-Test-Id", required = false) String headerTestId,
            @RequestBody Map<String, Object> body) {
        SdkInstance instance = instances.get(testId(queryTestId, headerTestId));
        if (instance == null) {
            return error(HttpStatus.CONFLICT, "SDK not initialized: call /init first");
        }
        Object distinctId = body.get("distinct_id");
        Object event = body.get("event");
        if (!(distinctId instanceof String) || !(event instanceof String)) {
            return error(HttpStatus.BAD_REQUEST, "distinct_id and event are required strings");
        }
        CaptureOptions.Builder options = CaptureOptions.builder((String) distinctId, (String) event);
        if (body.get("properties") instanceof Map<?, ?> properties) {
            Map<String, Object> props = new LinkedHashMap<>();
            properties.forEach((k, v) -> props.put(String.valueOf(k), v));
            options.properties(props);
        }
        if (body.get("timestamp") instanceof String timestamp) {
            try {
                options.timestamp(parseTimestamp(timestamp));
            }
            catch (DateTimeParseException ex) {
                return error(HttpStatus.BAD_REQUEST, "timestamp is not ISO 8601: " + timestamp);
            }
        }
        String uuid = instance.client().capture(options.build());
        if (uuid == null) {
            return error(HttpStatus.UNPROCESSABLE_ENTITY, "the client dropped the event (see /state last_error)");
        }
        return ResponseEntity.ok(Map.of("success", true, "uuid", uuid));
    }

    static Instant parseTimestamp(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        }
        catch (DateTimeParseException ex) {
            // No offset: read as UTC.
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        }
    }

    @PostMapping("/flush")
    ResponseEntity<Map<String, Object>> flush(@RequestParam(name = "test_id", required = false) String queryTestId,
            @RequestHeader(name = "X-Test-Id", required = false) String headerTestId) {
        SdkInstance instance = instances.get(testId(queryTestId, headerTestId));
        if (instance == null) {
            return error(HttpStatus.CONFLICT, "SDK not initialized: call /init first");
        }
        int sent = instance.client().flush();
        return ResponseEntity.ok(Map.of("success", true, "events_flushed", sent));
    }

    @PostMapping("/get_feature_flag")
    ResponseEntity<Map<String, Object>> getFeatureFlag(
            @RequestParam(name = "test_id", required = false) String queryTestId,
            @RequestHeader(name = "X-Test-Id", required = false) String headerTestId,
            @RequestBody(required = false) Map<String, Object> body) {
        SdkInstance instance = instances.get(testId(queryTestId, headerTestId));
        if (instance == null) {
            return error(HttpStatus.CONFLICT, "SDK not initialized: call /init first");
        }
        Map<String, Object> b = (body != null) ? body : Map.of();
        if (!(b.get("key") instanceof String key) || !(b.get("distinct_id") instanceof String distinctId)) {
            return error(HttpStatus.BAD_REQUEST, "key and distinct_id are required strings");
        }
        FlagOptions.Builder options = FlagOptions.builder();
        if (b.get("person_properties") instanceof Map<?, ?> person) {
            person.forEach((k, v) -> options.personProperty(String.valueOf(k), v));
        }
        if (b.get("groups") instanceof Map<?, ?> groups) {
            groups.forEach((k, v) -> options.group(String.valueOf(k), String.valueOf(v)));
        }
        if (b.get("group_properties") instanceof Map<?, ?> groupProps) {
            groupProps.forEach((type, props) -> {
                if (props instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> options.groupProperty(String.valueOf(type), String.valueOf(k), v));
                }
            });
        }
        if (b.get("disable_geoip") instanceof Boolean disable) {
            options.disableGeoip(disable);
        }
        // force_remote: this adapter's clients never have a personal API key, so every
        // evaluation is remote.
        Object value = instance.client().getFeatureFlag(key, distinctId, options.build());
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("success", true);
        response.put("value", value);
        return ResponseEntity.ok(response);
    }

    @GetMapping("/state")
    ResponseEntity<Map<String, Object>> state(@RequestParam(name = "test_id", required = false) String queryTestId,
            @RequestHeader(name = "X-Test-Id", required = false) String headerTestId) {
        SdkInstance instance = instances.get(testId(queryTestId, headerTestId));
        if (instance == null) {
            // Never initialised (or reset): an empty state, as required by the contract's
            // schema.
            return ResponseEntity.ok(new SdkInstance(SdkInstances.GLOBAL, null).state());
        }
        return ResponseEntity.ok(instance.state());
    }

    @PostMapping("/reset")
    ResponseEntity<Map<String, Object>> reset(@RequestParam(name = "test_id", required = false) String queryTestId,
            @RequestHeader(name = "X-Test-Id", required = false) String headerTestId) {
        instances.remove(testId(queryTestId, headerTestId));
        return ResponseEntity.ok(Map.of("success", true));
    }

    private static int intParam(Map<String, Object> body, String name, int defaultValue) {
        return (body.get(name) instanceof Number n) ? n.intValue() : defaultValue;
    }

    private static boolean boolParam(Map<String, Object> body, String name, boolean defaultValue) {
        return (body.get(name) instanceof Boolean b) ? b : defaultValue;
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", false);
        body.put("error", message);
        return ResponseEntity.status(status).body(body);
    }

}
