package io.github.posthog4j.benchmarks;

import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 12: what the request context adds to the caller's cost of a capture. Every
 * benchmark captures {@value CaptureBenchmark#BURST} events with 5 small properties per
 * invocation, on an emptied queue (drained outside the measurement, as
 * {@link CaptureBenchmark#drainedBurst}), with our client only:
 *
 * <ul>
 * <li>{@code noContext}: {@code capture(distinctId, event, props)} on a thread without a
 * context (the baseline: one thread-local read more than before the context
 * existed);</li>
 * <li>{@code inContext}: {@code capture(null, event, props)} inside a request context
 * with a distinct id and a session id (what the tracing-header filter sets up): the
 * distinct id and {@code $session_id} come from the context;</li>
 * <li>{@code inContextWithRequestProperties}: the same with the four request properties
 * of {@code posthog.web.request-properties} in the context;</li>
 * <li>{@code openCaptureClose}: per capture, a context is built, opened and closed around
 * it, the worst case of one capture per request (the filter's own cost, amortised over
 * nothing).</li>
 * </ul>
 * The calling thread's allocation per capture is printed as {@code CALLER_ALLOC} at the
 * end of each trial.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g", "-XX:+ExitOnOutOfMemoryError" })
public class ContextCaptureBenchmark {

    static final int BURST = CaptureBenchmark.BURST;

    @State(Scope.Benchmark)
    public static class Shared {

        Sink sink;

        ManagedPosthogClient client;

        final AtomicLong captured = new AtomicLong();

        @Setup(Level.Trial)
        public void start() {
            sink = new Sink();
            client = PosthogClient.builder(Clients.API_KEY).host(sink.url()).build();
        }

        @TearDown(Level.Trial)
        public void stop() {
            client.close();
            sink.close();
        }

    }

    @State(Scope.Thread)
    public static class Caller {

        final String[] ids = new String[1024];

        Map<String, Object> props;

        PosthogContext requestContext;

        PosthogContext requestContextWithProperties;

        int next;

        boolean measuring;

        long bytes;

        long ops;

        String label;

        private final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
            .getThreadMXBean();

        @Setup(Level.Trial)
        public void init(BenchmarkParams params) {
            for (int i = 0; i < ids.length; i++) {
                ids[i] = "user-" + (i * 7919 + Thread.currentThread().getId());
            }
            props = Clients.properties();
            requestContext = PosthogContext.builder().distinctId("user-123").sessionId("0190c1d2-session").build();
            requestContextWithProperties = PosthogContext.builder()
                .distinctId("user-123")
                .sessionId("0190c1d2-session")
                .property("$current_url", "https://shop.example.com/checkout")
                .property("$request_method", "POST")
                .property("$request_path", "/checkout")
                .property("$user_agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36")
                .build();
            label = "mode=" + params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1) + " threads="
                    + params.getThreads();
        }

        @Setup(Level.Iteration)
        public void iteration(IterationParams ip) {
            measuring = ip.getType() == IterationType.MEASUREMENT;
        }

        @TearDown(Level.Trial)
        public void report() {
            System.out.println("CALLER_ALLOC " + label + " bytesPerOp=" + (ops == 0 ? -1 : bytes / ops));
        }

        long before() {
            return threads.getCurrentThreadAllocatedBytes();
        }

        void after(long before) {
            long after = threads.getCurrentThreadAllocatedBytes();
            if (measuring) {
                bytes += after - before;
                ops += BURST;
            }
        }

    }

    @State(Scope.Thread)
    public static class Drainer {

        @Setup(Level.Invocation)
        public void drain(Shared shared) {
            shared.client.flush();
            shared.sink.awaitEvents(shared.captured.get(), 2_000);
        }

    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public void noContext(Shared shared, Caller caller, Drainer drainer) {
        long before = caller.before();
        PosthogClient c = shared.client;
        String[] ids = caller.ids;
        int n = caller.next;
        for (int i = 0; i < BURST; i++) {
            c.capture(ids[(n + i) & 1023], CaptureBenchmark.EVENT, caller.props);
        }
        caller.next = n + BURST;
        caller.after(before);
        shared.captured.addAndGet(BURST);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public void inContext(Shared shared, Caller caller, Drainer drainer) {
        burstIn(shared, caller, caller.requestContext);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public void inContextWithRequestProperties(Shared shared, Caller caller, Drainer drainer) {
        burstIn(shared, caller, caller.requestContextWithProperties);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public void openCaptureClose(Shared shared, Caller caller, Drainer drainer) {
        long before = caller.before();
        PosthogClient c = shared.client;
        String[] ids = caller.ids;
        int n = caller.next;
        for (int i = 0; i < BURST; i++) {
            try (PosthogContext.Scope scope = PosthogContext.builder()
                .distinctId(ids[(n + i) & 1023])
                .sessionId("0190c1d2-session")
                .open()) {
                c.capture(null, CaptureBenchmark.EVENT, caller.props);
            }
        }
        caller.next = n + BURST;
        caller.after(before);
        shared.captured.addAndGet(BURST);
    }

    private static void burstIn(Shared shared, Caller caller, PosthogContext context) {
        long before = caller.before();
        PosthogClient c = shared.client;
        try (PosthogContext.Scope scope = context.makeCurrent()) {
            for (int i = 0; i < BURST; i++) {
                c.capture(null, CaptureBenchmark.EVENT, caller.props);
            }
        }
        caller.after(before);
        shared.captured.addAndGet(BURST);
    }

}
