package io.github.posthog4j.benchmarks;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.github.posthog4j.autoconfigure.logs.PosthogLogbackAppender;
import io.github.posthog4j.client.LogsConfig;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.slf4j.MDC;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Issue 15: the logging thread's cost of one log line with the starter's Logback appender
 * on and off. Each invocation logs {@value #BURST} WARN lines
 * ({@code logger.warn("payment failed for order {} with {}", id, reason)}) through a
 * Logback logger on the calling thread, on a queue emptied before the invocation (outside
 * the measurement). The logger always has one minimal appender that formats the message
 * (what any real appender does first; a console or file appender then adds its I/O, not
 * measured here), so the difference between the two modes is the PostHog appender's own
 * cost:
 *
 * <ul>
 * <li>{@code appender=off}: the minimal appender only;</li>
 * <li>{@code appender=on}: plus {@link PosthogLogbackAppender} (threshold WARN, MDC on),
 * sending to a loopback sink through a client with the rate cap off (the accept path: a
 * capped line costs less); the client's logs consumer thread runs meanwhile, on the other
 * core of a 2-core machine;</li>
 * <li>{@code appender=stopped}: the same with the client's engine not started: no
 * consumer thread competes with the logging thread (the queue is drained on the benchmark
 * thread between invocations), the appender's own cost alone;</li>
 * <li>{@code appender=spooled}: {@code on} with the client's spool on (a temporary
 * directory): each line is serialised and appended to the logs spool
 * ({@code <spool>/logs}) on the logging thread.</li>
 * </ul>
 * {@code plainLine} logs outside any request; {@code requestLine} inside a PostHog
 * request context (distinct id, session id) with two MDC entries, as a line logged while
 * handling a request. The calling thread's allocation per line is printed as
 * {@code CALLER_ALLOC} at the end of each trial.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g", "-XX:+ExitOnOutOfMemoryError" })
public class LogAppenderBenchmark {

    static final int BURST = 1_000;

    @State(Scope.Benchmark)
    public static class Shared {

        @Param({ "off", "on", "stopped", "spooled" })
        public String appender;

        java.nio.file.Path spool;

        Sink sink;

        ManagedPosthogClient client;

        LoggerContext logback;

        Logger logger;

        @org.openjdk.jmh.annotations.Setup(org.openjdk.jmh.annotations.Level.Trial)
        public void start() {
            sink = new Sink();
            var builder = PosthogClient.builder(Clients.API_KEY)
                .host(sink.url())
                .logs(LogsConfig.builder().rateCapMaxLogs(0).maxQueueSize(100_000).build());
            if ("spooled".equals(appender)) {
                try {
                    spool = java.nio.file.Files.createTempDirectory("posthog-bench-spool");
                }
                catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
                builder.spool(spool);
            }
            client = builder.buildStopped();
            if (!"stopped".equals(appender)) {
                client.start();
            }
            logback = new LoggerContext();
            // as Logback's own initialisation does for its default context (SLF4J's MDC)
            logback.setMDCAdapter(MDC.getMDCAdapter());
            logger = logback.getLogger("com.example.shop.Checkout");
            logger.setLevel(Level.INFO);
            logger.setAdditive(false);
            Formatting formatting = new Formatting();
            formatting.setContext(logback);
            formatting.start();
            logger.addAppender(formatting);
            if (!"off".equals(appender)) {
                PosthogLogbackAppender posthog = new PosthogLogbackAppender(client, Level.WARN, List.of(), List.of(),
                        true, null);
                posthog.setContext(logback);
                posthog.start();
                logger.addAppender(posthog);
            }
        }

        @org.openjdk.jmh.annotations.TearDown(org.openjdk.jmh.annotations.Level.Trial)
        public void stop() {
            logback.stop();
            client.close();
            sink.close();
            if (spool != null) {
                try (var files = java.nio.file.Files.walk(spool)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
                }
                catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            }
        }

    }

    /** What every real appender does first: format the message. */
    static final class Formatting extends UnsynchronizedAppenderBase<ILoggingEvent> {

        long chars;

        @Override
        protected void append(ILoggingEvent event) {
            chars += event.getFormattedMessage().length();
        }

    }

    @State(Scope.Thread)
    public static class Caller {

        final String[] ids = new String[1024];

        PosthogContext request;

        int next;

        boolean measuring;

        long bytes;

        long ops;

        String label;

        private final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
            .getThreadMXBean();

        @org.openjdk.jmh.annotations.Setup(org.openjdk.jmh.annotations.Level.Trial)
        public void init(BenchmarkParams params) {
            for (int i = 0; i < ids.length; i++) {
                ids[i] = "o-" + (i * 7919 + Thread.currentThread().getId());
            }
            request = PosthogContext.builder().distinctId("user-123").sessionId("0190c1d2-session").build();
            label = "mode=" + params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1) + " appender="
                    + params.getParam("appender") + " threads=" + params.getThreads();
        }

        @org.openjdk.jmh.annotations.Setup(org.openjdk.jmh.annotations.Level.Iteration)
        public void iteration(IterationParams ip) {
            measuring = ip.getType() == IterationType.MEASUREMENT;
        }

        @org.openjdk.jmh.annotations.TearDown(org.openjdk.jmh.annotations.Level.Trial)
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

        @org.openjdk.jmh.annotations.Setup(org.openjdk.jmh.annotations.Level.Invocation)
        public void drain(Shared shared) {
            shared.client.flush();
        }

    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public void plainLine(Shared shared, Caller caller, Drainer drainer) {
        long before = caller.before();
        Logger log = shared.logger;
        String[] ids = caller.ids;
        int n = caller.next;
        for (int i = 0; i < BURST; i++) {
            log.warn("payment failed for order {} with {}", ids[(n + i) & 1023], "card_declined");
        }
        caller.next = n + BURST;
        caller.after(before);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public void requestLine(Shared shared, Caller caller, Drainer drainer) {
        long before = caller.before();
        Logger log = shared.logger;
        String[] ids = caller.ids;
        int n = caller.next;
        MDC.put("tenant", "acme");
        MDC.put("route", "/checkout");
        try (PosthogContext.Scope scope = caller.request.makeCurrent()) {
            for (int i = 0; i < BURST; i++) {
                log.warn("payment failed for order {} with {}", ids[(n + i) & 1023], "card_declined");
            }
        }
        finally {
            MDC.clear();
        }
        caller.next = n + BURST;
        caller.after(before);
    }

}
