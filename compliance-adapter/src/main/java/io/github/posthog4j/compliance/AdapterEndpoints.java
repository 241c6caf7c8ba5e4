package io.github.posthog4j.compliance;

import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogClientBuilder;
import io.github.posthog4j.compliance.Router.Request;
import io.github.posthog4j.compliance.Router.Response;
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
import org.jspecify.annotations.Nullable;

/**
 * The adapter interface of the harness contract (CONTRACT.yaml {@code adapter_interface})
 * on the client's public API. Every endpoint but {@code /health} works on the SDK
 * instance of the call's test id (see {@link SdkInstances#testId}).
 */
final class AdapterEndpoints {

    static final String SDK_NAME = "posthog-spring-boot";

    /**
     * Declared honestly, for the default mode: see {@link AdapterMode#capabilities()}.
     */
    static final List<String> CAPABILITIES = AdapterMode.DEFAULT.capabilities();

    private static final Properties VERSIONS = loadVersions();

    private final SdkInstances instances;

    private final AdapterMode mode;

    AdapterEndpoints(SdkInstances instances) {
        this(instances, AdapterMode.DEFAULT);
    }

    AdapterEndpoints(SdkInstances instances, AdapterMode mode) {
        this.instances = instances;
        this.mode = mode;
    }

    /**
     * Adds the contract's endpoints to a router.
     * @param router the router
     * @return the router
     */
    Router addTo(Router router) {
        return router.get("/health", (request) -> health())
            .post("/init", this::init)
            .post("/capture", this::capture)
            .post("/capture_ai", this::captureAi)
            .post("/flush", this::flush)
            .post("/get_feature_flag", this::getFeatureFlag)
            .get("/state", this::state)
            .post("/reset", this::reset);
    }

    private static Properties loadVersions() {
        Properties p = new Properties();
        try (InputStream in = AdapterEndpoints.class.getResourceAsStream("/adapter-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return p;
    }

    private static String testId(Request request) {
        return SdkInstances.testId(request.query("test_id"), request.header("X-Test-Id"));
    }

    Response health() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sdk_name", SDK_NAME);
        body.put("sdk_version", VERSIONS.getProperty("sdk.version", "unknown"));
        body.put("adapter_version", VERSIONS.getProperty("adapter.version", "unknown"));
        body.put("supports_parallel", true);
        body.put("capabilities", mode.capabilities());
        return Response.json(200, body);
    }

    Response init(Request request) {
        String testId = testId(request);
        Map<String, @Nullable Object> body = Json.readObject(request.body(), true);
        if (!(body.get("api_key") instanceof String apiKey) || !(body.get("host") instanceof String host)) {
            return Response.error(400, "api_key and host are required strings");
        }
        // The client has no public hook for extra request headers, so a test-scoped
        // instance talks to the adapter's own relay, which adds X-Test-Id and forwards
        // to the host unchanged (see TestIdRelay).
        String upstreamHost = testId.isEmpty() ? null : host;
        String clientHost = testId.isEmpty() ? host
                : "http://127.0.0.1:" + request.localPort() + TestIdRelay.PREFIX + testId;
        RequestLog log = new RequestLog();
        PosthogClientBuilder builder = PosthogClient.builder(apiKey)
            .host(clientHost)
            .flushAt(intParam(body, "flush_at", 100))
            .flushInterval(Duration.ofMillis(intParam(body, "flush_interval_ms", 500)))
            .maxRetries(intParam(body, "max_retries", 3))
            .compression(boolParam(body, "enable_compression", false))
            .disableGeoip(boolParam(body, "disable_geoip", false))
            .historicalMigration(boolParam(body, "historical_migration", false))
            .captureProtocol(mode.protocol())
            .compressionEncoding(mode.encoding())
            .shutdownTimeout(Duration.ofSeconds(3))
            .listener(log);
        ManagedPosthogClient client;
        try {
            client = builder.build();
        }
        catch (RuntimeException ex) {
            return Response.error(400, ex.getMessage());
        }
        instances.put(new SdkInstance(testId, upstreamHost, client, log));
        return Response.json(200, Map.of("success", true));
    }

    Response capture(Request request) {
        return capture(request, false);
    }

    /** {@code /capture_ai}: {@code captureAi(CaptureOptions)}, the dedicated AI route. */
    Response captureAi(Request request) {
        return capture(request, true);
    }

    private Response capture(Request request, boolean ai) {
        Map<String, @Nullable Object> body = Json.readObject(request.body(), true);
        SdkInstance instance = instances.get(testId(request));
        if (instance == null) {
            return notInitialized();
        }
        if (!(body.get("distinct_id") instanceof String distinctId) || !(body.get("event") instanceof String event)) {
            return Response.error(400, "distinct_id and event are required strings");
        }
        CaptureOptions.Builder options = CaptureOptions.builder(distinctId, event);
        if (body.get("uuid") instanceof String uuid) {
            options.uuid(uuid);
        }
        if (body.get("options") instanceof Map<?, ?> eventOptions) {
            eventOptions(eventOptions, options);
        }
        if (body.get("properties") instanceof Map<?, ?> properties) {
            Map<String, @Nullable Object> props = new LinkedHashMap<>();
            properties.forEach((k, v) -> props.put(String.valueOf(k), v));
            options.properties(props);
        }
        if (body.get("timestamp") instanceof String timestamp) {
            try {
                options.timestamp(parseTimestamp(timestamp));
            }
            catch (DateTimeParseException ex) {
                return Response.error(400, "timestamp is not ISO 8601: " + timestamp);
            }
        }
        String uuid = ai ? instance.client().captureAi(options.build()) : instance.client().capture(options.build());
        if (uuid == null) {
            return Response.error(422, "the client dropped the event (see /state last_error)");
        }
        return Response.json(200, Map.of("success", true, "uuid", uuid));
    }

    /**
     * The contract's V1 EventOptions: {@code cookieless_mode},
     * {@code disable_skew_correction}, {@code process_person_profile} (booleans) and
     * {@code product_tour_id} (a string).
     */
    private static void eventOptions(Map<?, ?> given, CaptureOptions.Builder options) {
        if (given.get("cookieless_mode") instanceof Boolean b) {
            options.cookielessMode(b);
        }
        if (given.get("disable_skew_correction") instanceof Boolean b) {
            options.disableSkewCorrection(b);
        }
        if (given.get("process_person_profile") instanceof Boolean b) {
            options.processPersonProfile(b);
        }
        if (given.get("product_tour_id") instanceof String tour) {
            options.productTourId(tour);
        }
    }

    /**
     * @param value an ISO 8601 date-time, with an offset or without (read as UTC)
     * @return the instant
     * @throws DateTimeParseException when it is neither
     */
    static Instant parseTimestamp(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        }
        catch (DateTimeParseException ex) {
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        }
    }

    Response flush(Request request) {
        SdkInstance instance = instances.get(testId(request));
        if (instance == null) {
            return notInitialized();
        }
        int sent = instance.client().flush();
        return Response.json(200, Map.of("success", true, "events_flushed", sent));
    }

    Response getFeatureFlag(Request request) {
        Map<String, @Nullable Object> body = Json.readObject(request.body(), false);
        SdkInstance instance = instances.get(testId(request));
        if (instance == null) {
            return notInitialized();
        }
        if (!(body.get("key") instanceof String key) || !(body.get("distinct_id") instanceof String distinctId)) {
            return Response.error(400, "key and distinct_id are required strings");
        }
        FlagOptions.Builder options = FlagOptions.builder();
        if (body.get("person_properties") instanceof Map<?, ?> person) {
            person.forEach((k, v) -> options.personProperty(String.valueOf(k), v));
        }
        if (body.get("groups") instanceof Map<?, ?> groups) {
            groups.forEach((k, v) -> options.group(String.valueOf(k), String.valueOf(v)));
        }
        if (body.get("group_properties") instanceof Map<?, ?> groupProperties) {
            groupProperties.forEach((type, properties) -> {
                if (properties instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> options.groupProperty(String.valueOf(type), String.valueOf(k), v));
                }
            });
        }
        if (body.get("disable_geoip") instanceof Boolean disable) {
            options.disableGeoip(disable);
        }
        // force_remote is moot: the adapter's clients have no personal API key, so every
        // evaluation is remote.
        Object value = instance.client().getFeatureFlag(key, distinctId, options.build());
        Map<String, @Nullable Object> response = new LinkedHashMap<>();
        response.put("success", true);
        response.put("value", value);
        return Response.json(200, response);
    }

    Response state(Request request) {
        SdkInstance instance = instances.get(testId(request));
        return Response.json(200, (instance != null) ? instance.state() : SdkInstance.emptyState());
    }

    Response reset(Request request) {
        instances.remove(testId(request));
        return Response.json(200, Map.of("success", true));
    }

    private static Response notInitialized() {
        return Response.error(409, "SDK not initialized: call /init first");
    }

    private static int intParam(Map<String, @Nullable Object> body, String name, int defaultValue) {
        return (body.get(name) instanceof Number n) ? n.intValue() : defaultValue;
    }

    private static boolean boolParam(Map<String, @Nullable Object> body, String name, boolean defaultValue) {
        return (body.get(name) instanceof Boolean b) ? b : defaultValue;
    }

}
