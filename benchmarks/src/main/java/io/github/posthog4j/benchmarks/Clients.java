package io.github.posthog4j.benchmarks;

import com.posthog.server.PostHogCaptureOptions;
import com.posthog.server.PostHogConfig;
import com.posthog.server.PostHogInterface;
import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The three clients behind one small interface, each built the way its README shows,
 * pointed at the sink. Every client keeps its defaults (batch size, interval, gzip)
 * except the host and, where asked, the queue capacity.
 */
public final class Clients {

    public static final String OURS = "posthog4j";

    /** Ours with the durable spool on (a temporary directory, deleted on close). */
    public static final String OURS_SPOOL = "posthog4j-spool";

    public static final String SERVER = "posthog-server";

    public static final String LEGACY = "posthog-java";

    /** The ceiling of issue 17: a minimal correct client ({@link Ceiling}). */
    public static final String CEILING = "ceiling";

    static final String API_KEY = "phc_benchmark_key_not_secret";

    private Clients() {
    }

    /** The subject of a benchmark. */
    public interface Client extends AutoCloseable {

        void capture(String distinctId, String event, Map<String, Object> properties);

        /**
         * Asks the client to send what it holds; blocks only if the client's own flush
         * blocks.
         */
        void flush();

        @Override
        void close();

        /**
         * @return events the client counted as dropped for a full queue, or -1 if it does
         * not count them
         */
        default long queueFullDrops() {
            return -1;
        }

        /**
         * @return a summary of the client's own counters, or ""
         */
        default String status() {
            return "";
        }

    }

    /**
     * @param name {@link #OURS}, {@link #SERVER} or {@link #LEGACY}
     * @param host the sink URL
     * @param queueCapacity 0 for the client's default, else the queue capacity (ignored
     * by the legacy SDK, which has no bound)
     */
    public static Client create(String name, String host, int queueCapacity) {
        switch (name) {
            case OURS:
                return ours(host, queueCapacity, null);
            case OURS_SPOOL:
                try {
                    return ours(host, queueCapacity, java.nio.file.Files.createTempDirectory("posthog-bench-spool"));
                }
                catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            case SERVER:
                return server(host, queueCapacity);
            case LEGACY:
                return legacy(host);
            case CEILING:
                return new Ceiling(host);
            default:
                throw new IllegalArgumentException("unknown client " + name);
        }
    }

    /**
     * Five small properties, the event shape of every benchmark. A fresh map per call
     * site state.
     */
    public static Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("plan", "pro");
        p.put("path", "/checkout");
        p.put("items", 3);
        p.put("amount", 42.5);
        p.put("first", Boolean.TRUE);
        return p;
    }

    private static Client ours(String host, int queueCapacity, java.nio.file.Path spool) {
        var b = PosthogClient.builder(API_KEY).host(host);
        if (spool != null) {
            b.spool(spool).spoolMaxBytes(2L * 1024 * 1024 * 1024);
        }
        if (queueCapacity > 0) {
            b.maxQueueSize(queueCapacity);
        }
        // what-if runs only (documented as such): -Dbench.flushAt=N, -Dbench.consumers=N,
        // -Dbench.maxBatchSize=N
        Integer flushAt = Integer.getInteger("bench.flushAt");
        if (flushAt != null) {
            b.flushAt(flushAt);
        }
        Integer maxBatchSize = Integer.getInteger("bench.maxBatchSize");
        if (maxBatchSize != null) {
            b.maxBatchSize(maxBatchSize);
        }
        Integer consumers = Integer.getInteger("bench.consumers");
        if (consumers != null) {
            b.consumerThreads(consumers);
        }
        ManagedPosthogClient c = b.build();
        return new Client() {
            @Override
            public void capture(String distinctId, String event, Map<String, Object> properties) {
                c.capture(distinctId, event, properties);
            }

            @Override
            public void flush() {
                c.flush();
            }

            @Override
            public void close() {
                c.close();
                if (spool != null) {
                    try (var files = java.nio.file.Files.walk(spool)) {
                        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                    catch (java.io.IOException ignored) {
                        // temporary directory
                    }
                }
            }

            @Override
            public long queueFullDrops() {
                return c.status().dropped().get(DropReason.QUEUE_FULL);
            }

            @Override
            public String status() {
                var s = c.status();
                return "captured=" + s.captured() + " sent=" + s.sent() + " dropped=" + s.dropped();
            }
        };
    }

    private static Client server(String host, int queueCapacity) {
        var b = PostHogConfig.builder(API_KEY).host(host);
        if (queueCapacity > 0) {
            b.maxQueueSize(queueCapacity);
        }
        PostHogInterface ph = com.posthog.server.PostHog.with(b.build());
        return new Client() {
            @Override
            public void capture(String distinctId, String event, Map<String, Object> properties) {
                ph.capture(distinctId, event, PostHogCaptureOptions.builder().properties(properties).build());
            }

            @Override
            public void flush() {
                ph.flush();
            }

            @Override
            public void close() {
                ph.close();
            }
        };
    }

    private static Client legacy(String host) {
        com.posthog.java.PostHog ph = new com.posthog.java.PostHog.Builder(API_KEY).host(host).build();
        return new Client() {
            @Override
            public void capture(String distinctId, String event, Map<String, Object> properties) {
                ph.capture(distinctId, event, properties);
            }

            @Override
            public void flush() {
                // no public flush: the legacy SDK sends on its own schedule and on
                // shutdown()
            }

            @Override
            public void close() {
                ph.shutdown();
            }
        };
    }

}
