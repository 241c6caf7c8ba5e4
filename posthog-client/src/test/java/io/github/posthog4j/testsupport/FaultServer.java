package io.github.posthog4j.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.zip.GZIPInputStream;

/**
 * A raw HTTP/1.1 server on loopback for faults the JDK server cannot produce: a
 * connection reset in the middle of the request body, a response that drips out byte by
 * byte, an HTML page with 200, a port that refuses connections for a while and then comes
 * back. One request per connection ({@code Connection: close}). Counts acknowledged
 * events by uuid.
 */
public final class FaultServer implements AutoCloseable {

    /** What to do with one request. */
    public enum Fault {

        /** 200 with a JSON body. */
        OK,
        /** Read half the body, then reset the connection (RST). */
        RESET_MID_BODY,
        /** 200, but the response trickles out over {@link #dripMillis}. */
        SLOW_DRIP,
        /** 200 with {@code text/html}, like a captive portal or a misconfigured proxy. */
        HTML_200,
        /** 503. */
        UNAVAILABLE

    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;

    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-server");
        t.setDaemon(true);
        return t;
    });

    private final AtomicInteger requests = new AtomicInteger();

    private final Map<String, AtomicInteger> uuids = new ConcurrentHashMap<>();

    private volatile IntFunction<Fault> plan = n -> Fault.OK;

    private volatile long dripMillis = 1000;

    private volatile ServerSocket socket;

    private FaultServer() throws IOException {
        ServerSocket s = open(0);
        this.port = s.getLocalPort();
        this.socket = s;
        executor.submit(() -> acceptLoop(s));
    }

    /**
     * @return a started server on a free loopback port
     */
    public static FaultServer start() {
        try {
            return new FaultServer();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static ServerSocket open(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        return s;
    }

    /**
     * @return the base URL
     */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Decides the fault of each request by its number (1-based).
     * @param plan request number to fault
     * @return this
     */
    public FaultServer plan(IntFunction<Fault> plan) {
        this.plan = plan;
        return this;
    }

    /**
     * @param millis how long a {@link Fault#SLOW_DRIP} response takes
     * @return this
     */
    public FaultServer dripMillis(long millis) {
        this.dripMillis = millis;
        return this;
    }

    /** Closes the listening socket: connections are refused until {@link #up()}. */
    public synchronized void down() {
        try {
            socket.close();
        }
        catch (IOException ignored) {
            // closed
        }
    }

    /** Listens again on the same port. */
    public synchronized void up() {
        try {
            ServerSocket s = open(port);
            socket = s;
            executor.submit(() -> acceptLoop(s));
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot listen on " + port + " again", ex);
        }
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket c = s.accept();
                executor.submit(() -> handle(c));
            }
            catch (IOException ex) {
                return;
            }
        }
    }

    private void handle(Socket c) {
        try (c) {
            c.setSoTimeout(30_000);
            InputStream in = c.getInputStream();
            String head = readHead(in);
            int length = 0;
            boolean gzip = false;
            for (String line : head.split("\r\n")) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
                if (lower.startsWith("content-encoding:") && lower.contains("gzip")) {
                    gzip = true;
                }
            }
            int n = requests.incrementAndGet();
            Fault fault = plan.apply(n);
            if (fault == Fault.RESET_MID_BODY) {
                in.readNBytes(length / 2);
                c.setSoLinger(true, 0);
                return; // close with linger 0: RST
            }
            byte[] body = in.readNBytes(length);
            OutputStream out = c.getOutputStream();
            if (fault == Fault.UNAVAILABLE) {
                write(out, "503 Service Unavailable", "application/json", "{\"error\":\"down\"}");
                return;
            }
            count(gzip ? gunzip(body) : body);
            if (fault == Fault.HTML_200) {
                write(out, "200 OK", "text/html", "<html><body>Please sign in to the proxy</body></html>");
            }
            else if (fault == Fault.SLOW_DRIP) {
                byte[] payload = "{\"status\":\"Ok\"}".getBytes(StandardCharsets.US_ASCII);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + payload.length
                        + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                long pause = dripMillis / payload.length;
                for (byte b : payload) {
                    TimeUnit.MILLISECONDS.sleep(pause);
                    out.write(b);
                    out.flush();
                }
            }
            else {
                write(out, "200 OK", "application/json", "{\"status\":\"Ok\"}");
            }
        }
        catch (IOException | InterruptedException | RuntimeException ex) {
            // the client went away (timeouts): nothing to answer
        }
    }

    private void count(byte[] body) throws IOException {
        JsonNode json = JSON.readTree(body);
        if (json != null && json.has("batch")) {
            for (JsonNode e : json.get("batch")) {
                uuids.computeIfAbsent(e.path("uuid").asText(), k -> new AtomicInteger()).incrementAndGet();
            }
        }
        if (json != null && json.has("resourceLogs")) {
            // OTLP logs: a log record counts by its body
            json.get("resourceLogs")
                .forEach((r) -> r.path("scopeLogs")
                    .forEach((s) -> s.path("logRecords")
                        .forEach((l) -> uuids
                            .computeIfAbsent(l.path("body").path("stringValue").asText(), k -> new AtomicInteger())
                            .incrementAndGet())));
        }
    }

    private static void write(OutputStream out, String status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + "\r\nContent-Type: " + type + "\r\nContent-Length: " + b.length
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            state = ((state == 0 || state == 2) && b == '\r') ? state + 1
                    : ((state == 1 || state == 3) && b == '\n') ? state + 1 : (b == '\r' ? 1 : 0);
            if (state == 4) {
                break;
            }
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static byte[] gunzip(byte[] raw) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            return in.readAllBytes();
        }
    }

    /**
     * @return requests received (all faults included)
     */
    public int requests() {
        return requests.get();
    }

    /**
     * @return acknowledged uuid (of a log record: its body) to times received
     */
    public Map<String, Integer> uuidCounts() {
        Map<String, Integer> out = new java.util.HashMap<>();
        uuids.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @Override
    public void close() {
        down();
        executor.shutdownNow();
    }

}
