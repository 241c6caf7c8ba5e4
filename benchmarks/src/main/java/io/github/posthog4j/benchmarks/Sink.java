package io.github.posthog4j.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPInputStream;

/**
 * The loopback PostHog stand-in every client of the benchmarks sends to: a JDK
 * {@link HttpServer} bound to 127.0.0.1 on a free port. It answers 200 at once, gunzips
 * gzip bodies and counts the events of every {@code /batch} request (any path starting
 * with {@code /batch}: ours posts {@code /batch/}, both official SDKs {@code /batch}).
 * Counting is by occurrences of the JSON key {@code "distinct_id"}, which every client
 * writes exactly once per event and the benchmark never uses as a property name.
 *
 * <p>
 * {@link #stall()} makes it accept requests and keep them unanswered until
 * {@link #resume()}.
 */
public final class Sink implements BenchSink {

    private static final byte[] KEY = "\"distinct_id\"".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] OK = "{\"status\":1}".getBytes(StandardCharsets.US_ASCII);

    static {
        // The JDK server writes response headers and body separately; without
        // TCP_NODELAY, Nagle's algorithm
        // holds the body until the client's delayed ACK (40 ms on Linux), capping every
        // client at ~25 req/s.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;

    private final ExecutorService executor;

    private final LongAdder events = new LongAdder();

    private final LongAdder requests = new LongAdder();

    private final LongAdder gzipRequests = new LongAdder();

    private final LongAdder wireBytes = new LongAdder();

    private final AtomicLong maxBodyBytes = new AtomicLong();

    private volatile long lastEventNanos;

    private volatile CountDownLatch stall;

    /**
     * Event uuids seen, when deduplicating (a retried batch whose first attempt did
     * arrive is counted once).
     */
    private volatile java.util.Set<String> uuids;

    public Sink() {
        this(false);
    }

    /**
     * @param dedupe whether to also count distinct event uuids ({@link #uniqueEvents()})
     */
    public Sink(boolean dedupe) {
        uuids = dedupe ? java.util.concurrent.ConcurrentHashMap.newKeySet() : null;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bench-sink");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.createContext("/_bench/", this::control);
        server.start();
    }

    /**
     * Runs the sink in a JVM of its own ({@link SinkProcess}): prints {@code PORT n} and
     * serves until {@code /_bench/quit}. Control requests under {@code /_bench/} are
     * answered even while the sink stalls.
     * @param args unused
     */
    public static void main(String[] args) throws Exception {
        Sink sink = new Sink(false);
        System.out.println("PORT " + sink.server.getAddress().getPort());
        System.out.flush();
        sink.quit.await();
        sink.close();
        System.exit(0);
    }

    private final CountDownLatch quit = new CountDownLatch(1);

    private void control(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getPath();
            String answer = "ok";
            switch (path) {
                case "/_bench/stats" -> answer = "events=" + events() + " requests=" + requests() + " gzipRequests="
                        + gzipRequests() + " wireBytes=" + wireBytes() + " maxBodyBytes=" + maxBodyBytes()
                        + " lastEventNanos=" + lastEventNanos + " uniqueEvents=" + uniqueEvents() + " handlerCpuNanos="
                        + handlerCpuNanos() + " processCpuNanos=" + Harness.processCpuNanos();
                case "/_bench/awaitQuiet" -> {
                    long[] q = query(ex, 2);
                    awaitQuiet(q[0], q[1]);
                }
                case "/_bench/awaitEvents" -> {
                    long[] q = query(ex, 2);
                    answer = Boolean.toString(awaitEvents(q[0], q[1]));
                }
                case "/_bench/stall" -> stall();
                case "/_bench/resume" -> resume();
                case "/_bench/reset" -> reset("dedupe".equals(ex.getRequestURI().getQuery()));
                case "/_bench/quit" -> quit.countDown();
                default -> answer = "unknown " + path;
            }
            byte[] bytes = answer.getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The query's values, {@code a=1&b=2} read as {@code [1, 2]}. */
    private static long[] query(HttpExchange ex, int n) {
        String[] pairs = ex.getRequestURI().getQuery().split("&");
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = Long.parseLong(pairs[i].substring(pairs[i].indexOf('=') + 1));
        }
        return values;
    }

    private void reset(boolean dedupe) {
        resume();
        events.reset();
        requests.reset();
        gzipRequests.reset();
        wireBytes.reset();
        maxBodyBytes.set(0);
        handlerCpuNanos.reset();
        lastEventNanos = 0;
        uuids = dedupe ? java.util.concurrent.ConcurrentHashMap.newKeySet() : null;
    }

    /**
     * @return the base URL, e.g. {@code http://127.0.0.1:40123}
     */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * CPU time of the request handlers (gunzip, count, answer), to tell the client's CPU
     * from the sink's.
     */
    private final LongAdder handlerCpuNanos = new LongAdder();

    private void handle(HttpExchange ex) throws IOException {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        try {
            serve(ex);
        }
        finally {
            handlerCpuNanos.add(THREADS.getCurrentThreadCpuTime() - cpu0);
        }
    }

    /**
     * @return CPU nanoseconds the sink's request handlers used so far
     */
    public long handlerCpuNanos() {
        return handlerCpuNanos.sum();
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] raw;
            try (InputStream in = ex.getRequestBody()) {
                raw = in.readAllBytes();
            }
            CountDownLatch s = stall;
            if (s != null) {
                try {
                    s.await(120, TimeUnit.SECONDS);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/batch")) {
                byte[] body = raw;
                if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
                    gzipRequests.increment();
                    try (GZIPInputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
                        body = gz.readAllBytes();
                    }
                }
                wireBytes.add(raw.length);
                maxBodyBytes.accumulateAndGet(body.length, Math::max);
                events.add(count(body));
                java.util.Set<String> seen = this.uuids;
                if (seen != null) {
                    collectUuids(body, seen);
                }
                requests.increment();
                lastEventNanos = System.nanoTime();
            }
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, OK.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(OK);
            }
        }
    }

    static int count(byte[] body) {
        int n = 0;
        outer: for (int i = 0, end = body.length - KEY.length; i <= end; i++) {
            for (int j = 0; j < KEY.length; j++) {
                if (body[i + j] != KEY[j]) {
                    continue outer;
                }
            }
            n++;
            i += KEY.length - 1;
        }
        return n;
    }

    private static final byte[] UUID_KEY = "\"uuid\":\"".getBytes(StandardCharsets.US_ASCII);

    static void collectUuids(byte[] body, java.util.Set<String> into) {
        outer: for (int i = 0, end = body.length - UUID_KEY.length - 36; i <= end; i++) {
            for (int j = 0; j < UUID_KEY.length; j++) {
                if (body[i + j] != UUID_KEY[j]) {
                    continue outer;
                }
            }
            into.add(new String(body, i + UUID_KEY.length, 36, StandardCharsets.US_ASCII));
            i += UUID_KEY.length + 35;
        }
    }

    /**
     * @return distinct event uuids counted (deduplicating sinks only; 0 when the client
     * sends none)
     */
    public long uniqueEvents() {
        java.util.Set<String> seen = this.uuids;
        return (seen == null) ? 0 : seen.size();
    }

    /** Accept requests but answer none until {@link #resume()}. */
    public void stall() {
        stall = new CountDownLatch(1);
    }

    /** Answers the held requests and every later one at once. */
    public void resume() {
        CountDownLatch s = stall;
        stall = null;
        if (s != null) {
            s.countDown();
        }
    }

    public long events() {
        return events.sum();
    }

    /**
     * @return System.nanoTime() when the last /batch request was counted, or 0
     */
    public long lastEventNanos() {
        return lastEventNanos;
    }

    public long requests() {
        return requests.sum();
    }

    public long gzipRequests() {
        return gzipRequests.sum();
    }

    public long wireBytes() {
        return wireBytes.sum();
    }

    public long maxBodyBytes() {
        return maxBodyBytes.get();
    }

    @Override
    public void close() {
        resume();
        server.stop(0);
        executor.shutdownNow();
    }

}
