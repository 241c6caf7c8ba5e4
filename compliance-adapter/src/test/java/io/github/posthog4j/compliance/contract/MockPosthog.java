package io.github.posthog4j.compliance.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * A mock PostHog on loopback with the semantics of the harness's mock server: it records
 * every request (headers lower-cased, query parameters, raw and gunzipped body, the
 * events parsed from it), answers from a queue of configured responses shared by all
 * endpoints (then the endpoint's default), and partitions recorded requests and response
 * queues by the {@code X-Test-Id} header so tests can run in parallel.
 */
public final class MockPosthog implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    static final String V1_CAPTURE_PATH = "/i/v1/analytics/events";

    private static final Set<String> CAPTURE_PATHS = Set.of("/batch", "/batch/", "/i/v0/ai/batch/", "/i/v0/e",
            "/i/v0/e/", "/e", "/e/", "/capture", "/capture/", "/track", "/track/");

    private static final Set<String> FLAGS_PATHS = Set.of("/flags", "/flags/");

    private static final Set<Integer> V1_RETRYABLE = Set.of(408, 500, 503, 504);

    private static final Map<Integer, String> V1_ERROR_TAGS = Map.of(400, "request_parsing_error", 401,
            "missing_authorization", 402, "billing_limit_exceeded", 408, "body_read_timeout", 413, "payload_too_large",
            415, "unsupported_content_type", 500, "internal_error", 503, "service_unavailable", 504, "gateway_timeout");

    /** A configured response ({@code configure_mock_responses} item). */
    public record MockResponse(int status, Map<String, String> headers, String body, List<Object> v1EventResults) {
    }

    /** One recorded request and what was answered. */
    public record Recorded(long timestampMs, String method, String path, Map<String, String> headers,
            Map<String, String> queryParams, byte[] bodyRaw, String bodyDecompressed,
            List<Map<String, Object>> parsedEvents, int responseStatus, Map<String, String> responseHeaders,
            String responseBody) {
    }

    private static final class Partition {

        final List<Recorded> requests = new ArrayList<>();

        final Deque<MockResponse> queue = new ArrayDeque<>();

    }

    private final Map<String, Partition> partitions = new HashMap<>();

    private final HttpServer server;

    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mock-posthog");
        t.setDaemon(true);
        return t;
    });

    private MockPosthog(HttpServer server) {
        this.server = server;
    }

    /**
     * @return a started mock on a free loopback port
     */
    public static MockPosthog start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            MockPosthog mock = new MockPosthog(server);
            server.createContext("/", mock::handle);
            server.setExecutor(mock.executor);
            server.start();
            return mock;
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot start the mock PostHog", ex);
        }
    }

    /**
     * @return the base URL, e.g. {@code http://127.0.0.1:port}
     */
    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    private Partition partition(String testId) {
        return partitions.computeIfAbsent((testId == null) ? "" : testId, k -> new Partition());
    }

    /**
     * @return the requests recorded for a test id (null: requests without the header)
     */
    public synchronized List<Recorded> requests(String testId) {
        return List.copyOf(partition(testId).requests);
    }

    /** Replaces the response queue of a test id. */
    public synchronized void setResponses(String testId, List<MockResponse> responses) {
        Deque<MockResponse> queue = partition(testId).queue;
        queue.clear();
        queue.addAll(responses);
    }

    /** Forgets a test id's requests and queue. */
    public synchronized void reset(String testId) {
        partitions.remove((testId == null) ? "" : testId);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!values.isEmpty()) {
                    headers.put(name.toLowerCase(Locale.ROOT), values.get(0));
                }
            });
            String path = exchange.getRequestURI().getRawPath();
            Map<String, String> query = parseQuery(exchange.getRequestURI().getRawQuery());
            Answer answer = record(exchange.getRequestMethod(), path, headers, query, body);
            answer.headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] out = (answer.body == null) ? new byte[0] : answer.body.getBytes(StandardCharsets.UTF_8);
            if (answer.body != null) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
            }
            exchange.sendResponseHeaders(answer.status, (out.length == 0) ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        }
    }

    private record Answer(int status, Map<String, String> headers, String body) {
    }

    private synchronized Answer record(String method, String path, Map<String, String> headers,
            Map<String, String> query, byte[] bodyRaw) {
        String testId = headers.get("x-test-id");
        Partition partition = partition(testId);
        String decompressed = decode(headers.get("content-encoding"), bodyRaw);
        List<Map<String, Object>> events = parseEvents(decompressed);
        boolean capture = CAPTURE_PATHS.contains(path);
        boolean v1 = path.equals(V1_CAPTURE_PATH) || path.equals(V1_CAPTURE_PATH + "/");
        boolean flags = FLAGS_PATHS.contains(path) && method.equals("POST");
        boolean known = flags || ((capture || v1) && (method.equals("POST")
                || (capture && method.equals("GET") && !path.startsWith("/batch") && !path.startsWith("/i/v0/ai"))));
        Answer answer;
        int status;
        Map<String, String> responseHeaders;
        String responseBody;
        if (!known) {
            // Recorded too (stricter than the harness, whose Flask app never sees unknown
            // routes), so that a
            // request to e.g. /decide is visible to the assertions; it never consumes the
            // response queue.
            status = 404;
            responseHeaders = Map.of();
            responseBody = "{\"error\":\"not found\"}";
            answer = new Answer(status, responseHeaders, responseBody);
        }
        else {
            MockResponse configured = partition.queue.pollFirst();
            if (configured == null) {
                configured = new MockResponse(200, Map.of(), null, null);
            }
            if (configured.v1EventResults() != null && events != null && !events.isEmpty()) {
                configured = v1PartialBatch(configured, events);
            }
            if (v1) {
                configured = v1Decorate(configured, headers, events);
            }
            status = configured.status();
            responseHeaders = configured.headers();
            responseBody = configured.body();
            answer = respond(configured, flags, v1, query);
        }
        partition.requests.add(new Recorded(System.currentTimeMillis(), method, path, Map.copyOf(headers),
                Map.copyOf(query), bodyRaw, decompressed, events, status, responseHeaders, responseBody));
        return answer;
    }

    private static Answer respond(MockResponse configured, boolean flags, boolean v1, Map<String, String> query) {
        Map<String, Object> defaultBody = flags ? flagsDefaultBody() : null;
        if (configured.body() != null || configured.status() != 200) {
            if (configured.status() == 204 && (configured.body() == null || configured.body().isEmpty())) {
                return new Answer(204, configured.headers(), null);
            }
            Object body;
            if (configured.body() != null && !configured.body().isEmpty()) {
                try {
                    body = JSON.readValue(configured.body(), Object.class);
                }
                catch (JsonProcessingException ex) {
                    return new Answer(configured.status(), configured.headers(), configured.body());
                }
            }
            else {
                body = Map.of("error", "Server error");
            }
            if (configured.status() >= 200 && configured.status() < 300 && body instanceof Map<?, ?> map
                    && defaultBody != null) {
                Map<String, Object> merged = new LinkedHashMap<>(defaultBody);
                map.forEach((k, v) -> merged.put(String.valueOf(k), v));
                body = merged;
            }
            return new Answer(configured.status(), configured.headers(), write(body));
        }
        if (flags) {
            return new Answer(200, configured.headers(), write(defaultBody));
        }
        if (v1) {
            return new Answer(200, configured.headers(), write(Map.of("results", Map.of())));
        }
        if ("1".equals(query.get("beacon"))) {
            return new Answer(204, configured.headers(), null);
        }
        return new Answer(200, configured.headers(), write(Map.of("status", 1)));
    }

    private static Map<String, Object> flagsDefaultBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("featureFlags", Map.of());
        body.put("featureFlagPayloads", Map.of());
        body.put("errorsWhileComputingFlags", false);
        return body;
    }

    private static MockResponse v1PartialBatch(MockResponse configured, List<Map<String, Object>> events) {
        Map<String, Object> results = new LinkedHashMap<>();
        boolean retry = false;
        for (int i = 0; i < events.size(); i++) {
            Object uuid = events.get(i).getOrDefault("uuid", "unknown-" + i);
            Object raw = (i < configured.v1EventResults().size()) ? configured.v1EventResults().get(i) : "ok";
            Map<String, Object> entry = new LinkedHashMap<>();
            if (raw instanceof Map<?, ?> m) {
                m.forEach((k, v) -> entry.put(String.valueOf(k), v));
            }
            else {
                entry.put("result", raw);
                if ("retry".equals(raw)) {
                    entry.put("details", "not_persisted");
                }
                else if ("drop".equals(raw)) {
                    entry.put("details", "invalid_event");
                }
                else if ("limited".equals(raw)) {
                    entry.put("details", "person_processing_disabled");
                }
            }
            retry |= "retry".equals(entry.get("result"));
            results.put(String.valueOf(uuid), entry);
        }
        Map<String, String> headers = new LinkedHashMap<>(configured.headers());
        if (retry) {
            headers.putIfAbsent("Retry-After", "1");
        }
        return new MockResponse(200, headers, write(Map.of("results", results)), null);
    }

    private static MockResponse v1Decorate(MockResponse configured, Map<String, String> requestHeaders,
            List<Map<String, Object>> events) {
        Map<String, String> headers = new LinkedHashMap<>(configured.headers());
        headers.putIfAbsent("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
        String requestId = requestHeaders.get("posthog-request-id");
        if (requestId != null && !requestId.isEmpty()) {
            headers.putIfAbsent("PostHog-Request-Id", requestId);
        }
        int status = configured.status();
        if (V1_RETRYABLE.contains(status)) {
            headers.putIfAbsent("Retry-After", "1");
        }
        String body = configured.body();
        if (body == null && status >= 400) {
            body = write(Map.of("error", V1_ERROR_TAGS.getOrDefault(status, "server_error"), "error_description",
                    "Mock server returned " + status, "error_uri", "https://posthog.com/docs/api"));
        }
        else if (body == null && status == 200 && configured.v1EventResults() == null && events != null
                && !events.isEmpty()) {
            Map<String, Object> results = new LinkedHashMap<>();
            for (int i = 0; i < events.size(); i++) {
                results.put(String.valueOf(events.get(i).getOrDefault("uuid", "unknown-" + i)), Map.of("result", "ok"));
            }
            body = write(Map.of("results", results));
        }
        return new MockResponse(status, headers, body, configured.v1EventResults());
    }

    static String decode(String contentEncoding, byte[] raw) {
        byte[] bytes = raw;
        if ("gzip".equals(contentEncoding)) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                bytes = in.readAllBytes();
            }
            catch (IOException ex) {
                return null;
            }
        }
        else if ("zstd".equals(contentEncoding)) {
            try (com.github.luben.zstd.ZstdInputStream in = new com.github.luben.zstd.ZstdInputStream(
                    new ByteArrayInputStream(raw))) {
                bytes = in.readAllBytes();
            }
            catch (IOException | RuntimeException | LinkageError ex) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        }
        catch (CharacterCodingException ex) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> parseEvents(String body) {
        if (body == null || body.isEmpty()) {
            return null;
        }
        try {
            Object data = JSON.readValue(body, Object.class);
            if (data instanceof List<?> list) {
                return (List<Map<String, Object>>) list;
            }
            if (data instanceof Map<?, ?> map) {
                if (map.containsKey("batch")) {
                    return (List<Map<String, Object>>) map.get("batch");
                }
                if (map.get("data") instanceof List<?> list) {
                    return (List<Map<String, Object>>) list;
                }
                return List.of((Map<String, Object>) map);
            }
        }
        catch (JsonProcessingException | ClassCastException ex) {
            return null;
        }
        return null;
    }

    static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode((eq < 0) ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = (eq < 0) ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.putIfAbsent(key, value);
        }
        return query;
    }

    /**
     * @return a deep copy of a JSON-like map (to mutate a contract test in self-checks)
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> copy(Map<String, Object> map) {
        try {
            return JSON.readValue(JSON.writeValueAsBytes(map), Map.class);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        }
        catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

}
