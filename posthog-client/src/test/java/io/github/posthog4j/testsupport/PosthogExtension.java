package io.github.posthog4j.testsupport;

import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogClientBuilder;
import io.github.posthog4j.client.PosthogClientListener;
import io.github.posthog4j.client.RequestReport;
import io.github.posthog4j.client.DropReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A PostHog stand-in on loopback and clients pointed at it, per test: the prologue and
 * epilogue every client test needs. Register it as a field:
 *
 * <pre>{@code
 * &#64;RegisterExtension
 * final PosthogExtension posthog = PosthogExtension.withDefaults((b) -> b.flushInterval(Duration.ofMillis(20)));
 *
 *

&#64;Test
 * void test() {
 *     posthog.server().respondWith(503);
 *     ManagedPosthogClient client = posthog.client((b) -> b.maxRetries(1));   // built and started
 *     ...
 *     assertThat(posthog.reports("batch")).hasSize(2);
 * }
 * }</pre>
 *
 * Every client it built is closed after the test, then the server. Every client reports
 * its requests and drops to the extension ({@link #reports()}, {@link #drops()}).
 */
public final class PosthogExtension implements BeforeEachCallback, AfterEachCallback {

    /** The project key of every client built here. */
    public static final String API_KEY = "phc_test_key";

    /**
     * The capture protocol the fault and spool suites run with: the system property
     * {@code posthog.test.capture-protocol} ({@code v0} by default; the build runs those
     * suites a second time with {@code v1}).
     * @return the protocol under test
     */
    public static io.github.posthog4j.client.CaptureProtocol captureProtocolUnderTest() {
        return "v1".equalsIgnoreCase(System.getProperty("posthog.test.capture-protocol", "v0"))
                ? io.github.posthog4j.client.CaptureProtocol.V1 : io.github.posthog4j.client.CaptureProtocol.V0;
    }

    /**
     * @return the analytics route of {@link #captureProtocolUnderTest()}
     */
    public static String batchPathUnderTest() {
        return (captureProtocolUnderTest() == io.github.posthog4j.client.CaptureProtocol.V1) ? PosthogStandIn.V1_PATH
                : "/batch";
    }

    private final UnaryOperator<PosthogClientBuilder> defaults;

    private final int serverThreads;

    private PosthogStandIn server;

    private final List<ManagedPosthogClient> clients = new CopyOnWriteArrayList<>();

    private final List<RequestReport> reports = new CopyOnWriteArrayList<>();

    private final Map<DropReason, AtomicLong> drops = new ConcurrentHashMap<>();

    private PosthogExtension(UnaryOperator<PosthogClientBuilder> defaults, int serverThreads) {
        this.defaults = defaults;
        this.serverThreads = serverThreads;
    }

    /**
     * @return an extension whose clients use the builder's defaults and a 50 ms flush
     * interval
     */
    public static PosthogExtension create() {
        return withDefaults((b) -> b);
    }

    /**
     * @param defaults settings applied to every client of the test class (after the host
     * and a 50 ms flush interval, before a test's own)
     * @return the extension
     */
    public static PosthogExtension withDefaults(UnaryOperator<PosthogClientBuilder> defaults) {
        return new PosthogExtension(defaults, 4);
    }

    /**
     * @param threads the stand-in's handler threads (more for tests that stall responses)
     * @return a copy with that many threads
     */
    public PosthogExtension serverThreads(int threads) {
        return new PosthogExtension(this.defaults, threads);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        this.server = PosthogStandIn.start(this.serverThreads);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            for (ManagedPosthogClient c : this.clients) {
                c.close();
            }
        }
        finally {
            this.clients.clear();
            this.server.close();
        }
    }

    /**
     * @return the stand-in of the current test
     */
    public PosthogStandIn server() {
        return this.server;
    }

    /**
     * @return a builder pointed at the stand-in, with the class's defaults and a listener
     * of this extension
     */
    public PosthogClientBuilder builder() {
        PosthogClientBuilder b = PosthogClient.builder(API_KEY)
            .host(this.server.url())
            .captureProtocol(captureProtocolUnderTest())
            .flushInterval(Duration.ofMillis(50))
            .listener(new PosthogClientListener() {
                @Override
                public void onRequest(RequestReport report) {
                    PosthogExtension.this.reports.add(report);
                }

                @Override
                public void onDropped(DropReason reason, int count) {
                    PosthogExtension.this.drops.computeIfAbsent(reason, (r) -> new AtomicLong()).addAndGet(count);
                }
            });
        return this.defaults.apply(b);
    }

    /**
     * @return a started client with the class's defaults, closed after the test
     */
    public ManagedPosthogClient client() {
        return client(UnaryOperator.identity());
    }

    /**
     * @param settings the test's own settings
     * @return a started client, closed after the test
     */
    public ManagedPosthogClient client(UnaryOperator<PosthogClientBuilder> settings) {
        return track(settings.apply(builder()).build());
    }

    /**
     * @param settings the test's own settings
     * @return a client that is not started (no thread until {@code start()}), closed
     * after the test
     */
    public ManagedPosthogClient stoppedClient(UnaryOperator<PosthogClientBuilder> settings) {
        return track(settings.apply(builder()).buildStopped());
    }

    /**
     * Closes a client after the test too (one built by hand).
     * @param client the client
     * @return the client
     */
    public ManagedPosthogClient track(ManagedPosthogClient client) {
        this.clients.add(client);
        return client;
    }

    /**
     * @return every request the clients made, in order
     */
    public List<RequestReport> reports() {
        return List.copyOf(this.reports);
    }

    /**
     * @param endpoint {@code batch}, {@code flags} or {@code definitions}
     * @return the requests to that endpoint, in order
     */
    public List<RequestReport> reports(String endpoint) {
        List<RequestReport> out = new ArrayList<>();
        for (RequestReport r : this.reports) {
            if (r.endpoint().equals(endpoint)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * @param reason a drop reason
     * @return events the clients dropped for that reason, as their listeners saw it
     */
    public long drops(DropReason reason) {
        AtomicLong n = this.drops.get(reason);
        return (n != null) ? n.get() : 0;
    }

    /**
     * @return every drop the listeners saw, by reason
     */
    public Map<DropReason, Long> drops() {
        Map<DropReason, Long> out = new java.util.EnumMap<>(DropReason.class);
        this.drops.forEach((r, n) -> out.put(r, n.get()));
        return out;
    }

}
