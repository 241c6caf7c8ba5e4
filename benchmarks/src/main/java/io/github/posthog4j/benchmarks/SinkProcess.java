package io.github.posthog4j.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link Sink} in a JVM of its own, so that its JIT, collector and gunzip do not
 * share the measured client's JVM (issue 17 measured this way). One child JVM serves a
 * whole harness JVM; {@link #open(boolean)} resets its counters for each run. The child
 * runs with {@code -Xms512m -Xmx512m}; its counters are read over HTTP on
 * {@code /_bench/}, and the waits for events or quiet happen in its JVM.
 */
final class SinkProcess implements BenchSink {

    private static SinkProcess shared;

    private final Process process;

    private final String url;

    private SinkProcess() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        this.process = new ProcessBuilder(List.of(java, "-Xms512m", "-Xmx512m", "-cp",
                System.getProperty("java.class.path"), Sink.class.getName()))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        BufferedReader out = new BufferedReader(
                new InputStreamReader(this.process.getInputStream(), StandardCharsets.US_ASCII));
        String line = out.readLine();
        if (line == null || !line.startsWith("PORT ")) {
            this.process.destroyForcibly();
            throw new IOException("the sink process did not start: " + line);
        }
        this.url = "http://127.0.0.1:" + line.substring(5).trim();
        Runtime.getRuntime().addShutdownHook(new Thread(this.process::destroyForcibly));
    }

    /**
     * The harness JVM's sink process (started on first use), its counters reset.
     * @param dedupe whether to count distinct event uuids too
     */
    static synchronized SinkProcess open(boolean dedupe) {
        try {
            if (shared == null) {
                shared = new SinkProcess();
            }
            shared.call(dedupe ? "reset?dedupe" : "reset");
            return shared;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * One control request, over {@link HttpURLConnection} (no threads of its own: the
     * client JVM's CPU is what the harness measures).
     */
    private String call(String what) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(this.url + "/_bench/" + what).toURL().openConnection();
            c.setRequestMethod("POST");
            try (var in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private long stat(String key) {
        Map<String, String> values = new HashMap<>();
        for (String pair : call("stats").split(" ")) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return Long.parseLong(values.get(key));
    }

    @Override
    public String url() {
        return this.url;
    }

    @Override
    public long events() {
        return stat("events");
    }

    @Override
    public long requests() {
        return stat("requests");
    }

    @Override
    public long gzipRequests() {
        return stat("gzipRequests");
    }

    @Override
    public long wireBytes() {
        return stat("wireBytes");
    }

    @Override
    public long maxBodyBytes() {
        return stat("maxBodyBytes");
    }

    @Override
    public long lastEventNanos() {
        return stat("lastEventNanos");
    }

    @Override
    public long uniqueEvents() {
        return stat("uniqueEvents");
    }

    @Override
    public long handlerCpuNanos() {
        return stat("handlerCpuNanos");
    }

    @Override
    public long processCpuNanos() {
        return stat("processCpuNanos");
    }

    @Override
    public void stall() {
        call("stall");
    }

    @Override
    public void resume() {
        call("resume");
    }

    /** Waits in the sink's JVM: one request instead of a poll every few milliseconds. */
    @Override
    public boolean awaitEvents(long target, long timeoutMillis) {
        return Boolean.parseBoolean(call("awaitEvents?target=" + target + "&timeout=" + timeoutMillis));
    }

    /** Waits in the sink's JVM. */
    @Override
    public void awaitQuiet(long quietMillis, long timeoutMillis) {
        call("awaitQuiet?quiet=" + quietMillis + "&timeout=" + timeoutMillis);
    }

    /** Answers what the sink holds; the process serves the next run. */
    @Override
    public void close() {
        resume();
    }

}
