package io.github.posthog4j.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * A PostHog stand-in on loopback for tests: a real HTTP server (JDK {@link HttpServer})
 * that accepts {@code POST /batch/}, gunzips, parses and records every request, and
 * answers with scripted responses.
 *
 * <pre>{@code
 * try (PosthogStandIn posthog = PosthogStandIn.start()) {
 *     posthog.respondWith(503, 503);          // the next two /batch/ requests fail, then 200
 *     ... client pointed at posthog.url() ...
 *     posthog.awaitEvents(10);
 * }
 * }</pre>
 */
public final class PosthogStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The capture v1 analytics route. */
    public static final String V1_PATH = "/i/v1/analytics/events";

    /** The OTLP logs route. */
    public static final String LOGS_PATH = "/i/v1/logs";

    /** The OTLP traces route. */
    public static final String TRACES_PATH = "/i/v1/traces";

    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the
        // client's delayed ACK:
        // ~40 ms per response on loopback, which would make the stand-in, not the client,
        // the bottleneck.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;

    private final ExecutorService executor;

    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();

    private final Map<String, AtomicInteger> uuidCounts = new ConcurrentHashMap<>();

    private final AtomicInteger eventCount = new AtomicInteger();

    private final Map<String, Function<Request, Reply>> routes = new ConcurrentHashMap<>();

    private volatile Reply defaultReply = Reply.ok();

    private volatile CountDownLatch stall;

    private PosthogStandIn(int threads) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "standin-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * @return a started stand-in on a free loopback port
     */
    public static PosthogStandIn start() {
        return start(8);
    }

    /**
     * @param threads server threads
     * @return a started stand-in on a free loopback port
     */
    public static PosthogStandIn start(int threads) {
        try {
            return new PosthogStandIn(threads);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * @return the base URL, e.g. {@code http://127.0.0.1:12345}
     */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * @return the port
     */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Scripts the next responses to {@code /batch/}: each status once, in order; then the
     * default (200).
     * @param statuses HTTP statuses; 0 closes the connection without answering
     * @return this
     */
    public PosthogStandIn respondWith(int... statuses) {
        for (int s : statuses) {
            script.add(new Reply(s, Map.of(), Duration.ZERO));
        }
        return this;
    }

    /**
     * Scripts one response.
     * @param reply the reply
     * @return this
     */
    public PosthogStandIn respondWith(Reply reply) {
        script.add(reply);
        return this;
    }

    /**
     * Sets the reply used when the script is empty.
     * @param reply the reply
     * @return this
     */
    public PosthogStandIn defaultReply(Reply reply) {
        this.defaultReply = reply;
        return this;
    }

    /**
     * Serves another path (e.g. {@code /flags/}) with a function of the request.
     * @param pathPrefix the path prefix
     * @param handler request to reply
     * @return this
     */
    public PosthogStandIn route(String pathPrefix, Function<Request, Reply> handler) {
        routes.put(pathPrefix, handler);
        return this;
    }

    /**
     * Holds every request (after reading its body) until {@link #release()}: PostHog
     * accepts but never answers.
     */
    public void stall() {
        stall = new CountDownLatch(1);
    }

    /** Ends a {@link #stall()}. */
    public void release() {
        CountDownLatch latch = stall;
        stall = null;
        if (latch != null) {
            latch.countDown();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            Headers h = exchange.getRequestHeaders();
            boolean gzip = "gzip".equalsIgnoreCase(h.getFirst("Content-Encoding"));
            boolean zstd = "zstd".equalsIgnoreCase(h.getFirst("Content-Encoding"));
            byte[] body = gzip ? gunzip(raw) : zstd ? Zstd.decode(raw) : raw;
            Map<String, String> headers = new HashMap<>();
            h.forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            String path = exchange.getRequestURI().getPath();
            JsonNode json = null;
            try {
                json = (body.length > 0) ? JSON.readTree(body) : null;
            }
            catch (IOException ignored) {
                // recorded with json == null
            }
            Request request = new Request(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                    headers, raw.length, body, json, System.nanoTime(), new AtomicInteger(-1));
            requests.add(request);
            CountDownLatch latch = stall;
            if (latch != null) {
                latch.await(5, TimeUnit.MINUTES);
            }
            Reply reply = null;
            for (Map.Entry<String, Function<Request, Reply>> route : routes.entrySet()) {
                if (path.startsWith(route.getKey())) {
                    reply = route.getValue().apply(request);
                }
            }
            if (reply == null) {
                Reply scripted = script.poll();
                reply = (scripted != null) ? scripted : defaultReply;
            }
            if (reply.status >= 200 && reply.status < 300 && json != null && json.has("batch")) {
                for (JsonNode e : json.get("batch")) {
                    eventCount.incrementAndGet();
                    uuidCounts.computeIfAbsent(e.path("uuid").asText(), k -> new AtomicInteger()).incrementAndGet();
                }
            }
            request.replyStatus.set(reply.status);
            if (!reply.delay.isZero()) {
                Thread.sleep(reply.delay.toMillis());
            }
            if (reply.status == 0) {
                // No response: the server closes the connection.
                throw new IOException("scripted connection drop");
            }
            reply.headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            byte[] out = reply.body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", reply.contentType);
            exchange.sendResponseHeaders(reply.status, out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** zstd bodies (capture v1), through zstd-jni: loaded only when one arrives. */
    private static final class Zstd {

        static byte[] decode(byte[] raw) throws IOException {
            try (InputStream in = new com.github.luben.zstd.ZstdInputStream(new ByteArrayInputStream(raw))) {
                return in.readAllBytes();
            }
        }

    }

    private static byte[] gunzip(byte[] raw) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            return in.readAllBytes();
        }
    }

    /**
     * @return every request received so far, in arrival order
     */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /**
     * @return the analytics batch requests: {@code /batch/} (capture v0) and
     * {@code /i/v1/analytics/events} (capture v1)
     */
    public List<Request> batchRequests() {
        List<Request> out = new ArrayList<>();
        for (Request r : requests) {
            if (r.path.startsWith("/batch") || r.path.startsWith(V1_PATH)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * @return the requests to the OTLP logs route ({@code /i/v1/logs}), in order
     */
    public List<Request> logRequests() {
        return requestsTo(LOGS_PATH);
    }

    /**
     * @return the requests to the OTLP traces route ({@code /i/v1/traces}), in order
     */
    public List<Request> traceRequests() {
        return requestsTo(TRACES_PATH);
    }

    private List<Request> requestsTo(String path) {
        List<Request> out = new ArrayList<>();
        for (Request r : requests) {
            if (r.path.equals(path)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * @return every log record of every acknowledged (2xx) logs request
     * ({@code resourceLogs[].scopeLogs[].logRecords[]}), in order of arrival
     */
    public List<JsonNode> logRecords() {
        return otlpRecords(logRequests(), "resourceLogs", "scopeLogs", "logRecords");
    }

    /**
     * @return every span of every acknowledged (2xx) traces request
     * ({@code resourceSpans[].scopeSpans[].spans[]}), in order of arrival
     */
    public List<JsonNode> spans() {
        return otlpRecords(traceRequests(), "resourceSpans", "scopeSpans", "spans");
    }

    private static List<JsonNode> otlpRecords(List<Request> requests, String resources, String scopes, String records) {
        List<JsonNode> out = new ArrayList<>();
        for (Request r : requests) {
            if (r.json != null && r.acknowledged()) {
                r.json.path(resources)
                    .forEach((resource) -> resource.path(scopes)
                        .forEach((scope) -> scope.path(records).forEach(out::add)));
            }
        }
        return out;
    }

    /**
     * @return every event of every acknowledged (2xx) batch, in order of arrival
     */
    public List<JsonNode> events() {
        List<JsonNode> out = new ArrayList<>();
        for (Request r : batchRequests()) {
            if (r.json != null && r.json.has("batch") && r.acknowledged()) {
                r.json.get("batch").forEach(out::add);
            }
        }
        return out;
    }

    /**
     * @return how many events were acknowledged (duplicates included)
     */
    public int eventCount() {
        return eventCount.get();
    }

    /**
     * @return acknowledged uuid to how many times it arrived
     */
    public Map<String, Integer> uuidCounts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        uuidCounts.forEach((k, v) -> out.put(k, v.get()));
        return Collections.unmodifiableMap(out);
    }

    /**
     * @return how many acknowledged uuids arrived more than once
     */
    public long duplicates() {
        return uuidCounts.values().stream().filter(c -> c.get() > 1).count();
    }

    /** Forgets every request and count. */
    public void reset() {
        requests.clear();
        uuidCounts.clear();
        eventCount.set(0);
        script.clear();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * A recorded request.
     *
     * @param method the method
     * @param path the path
     * @param query the raw query, or null
     * @param headers lower-case header names to values
     * @param wireBytes body size as received (compressed if gzip)
     * @param body the body, decompressed
     * @param json the parsed body, or null
     * @param receivedNanos {@link System#nanoTime()} on arrival
     * @param replyStatus the status answered (-1 before the reply is chosen, 0 for a
     * dropped connection)
     */
    public record Request(String method, String path, String query, Map<String, String> headers, int wireBytes,
            byte[] body, JsonNode json, long receivedNanos, AtomicInteger replyStatus) {

        /**
         * @return the events of a batch request (empty if none)
         */
        public List<JsonNode> events() {
            List<JsonNode> out = new ArrayList<>();
            if (json != null && json.has("batch")) {
                json.get("batch").forEach(out::add);
            }
            return out;
        }

        /**
         * @return whether the stand-in answered 2xx
         */
        public boolean acknowledged() {
            int s = replyStatus.get();
            return s >= 200 && s < 300;
        }
    }

    /**
     * A scripted reply.
     *
     * @param status HTTP status (0: drop the connection)
     * @param headers response headers
     * @param delay delay before answering
     * @param body response body
     * @param contentType response content type
     */
    public record Reply(int status, Map<String, String> headers, Duration delay, String body, String contentType) {

        /**
         * @param status HTTP status
         * @param headers response headers
         * @param delay delay before answering
         */
        public Reply(int status, Map<String, String> headers, Duration delay) {
            this(status, headers, delay, status == 200 ? "{\"status\":\"Ok\"}" : "{\"error\":\"scripted\"}",
                    "application/json");
        }

        /**
         * @return a plain 200
         */
        public static Reply ok() {
            return new Reply(200, Map.of(), Duration.ZERO);
        }

        /**
         * @param status HTTP status
         * @return a reply with that status
         */
        public static Reply status(int status) {
            return new Reply(status, Map.of(), Duration.ZERO);
        }

        /**
         * @param header a header name
         * @param value its value
         * @return this reply with the header
         */
        public Reply header(String header, String value) {
            Map<String, String> h = new HashMap<>(headers);
            h.put(header, value);
            return new Reply(status, h, delay, body, contentType);
        }

        /**
         * @param d delay before answering
         * @return this reply, delayed
         */
        public Reply delayed(Duration d) {
            return new Reply(status, headers, d, body, contentType);
        }

        /**
         * @param json a JSON body
         * @return this reply with the body
         */
        public Reply json(String json) {
            return new Reply(status, headers, delay, json, "application/json");
        }
    }

}
