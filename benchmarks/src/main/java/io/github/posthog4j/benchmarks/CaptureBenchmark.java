package io.github.posthog4j.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark 1: what {@code capture(distinctId, event, 5 small properties)} costs the
 * calling thread.
 *
 * <ul>
 * <li>{@code drainedBurst}: bursts of {@value #BURST} captures; before each burst
 * (outside the measurement) the client is flushed and the sink waited for, so every burst
 * starts on an empty queue. This is the cost a request thread pays in a service whose
 * analytics keep up.</li>
 * <li>{@code flatOut}: bursts of {@value #BURST} back to back, never drained: capture
 * outpaces delivery, so this shows what each client does with a backlog (bound and drop,
 * or grow the heap).</li>
 * </ul>
 * Run with {@code -t 1} and {@code -t 2}, and {@code -prof gc} for bytes/op of all
 * threads (callers plus the clients' own delivery threads). The calling thread's own
 * allocation per capture is measured here with
 * {@code ThreadMXBean.getCurrentThreadAllocatedBytes} around each burst and printed as a
 * {@code CALLER_ALLOC} line at the end of each trial.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g", "-XX:+ExitOnOutOfMemoryError" })
public class CaptureBenchmark {

    static final int BURST = 1000;
    static final String EVENT = "order completed";

    @State(Scope.Benchmark)
    public static class Shared {

        @Param({ Clients.OURS, Clients.OURS_SPOOL, Clients.SERVER, Clients.LEGACY })
        public String client;

        Sink sink;

        Clients.Client c;

        final AtomicLong captured = new AtomicLong();

        @Setup(Level.Trial)
        public void start() {
            sink = new Sink();
            c = Clients.create(client, sink.url(), 0);
        }

        @TearDown(Level.Trial)
        public void stop() {
            c.close();
            sink.close();
        }

    }

    @State(Scope.Thread)
    public static class Caller {

        final String[] ids = new String[1024];

        Map<String, Object> props;

        int next;

        boolean measuring;

        long bytes;

        long ops;

        String label;

        private final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
            .getThreadMXBean();

        @Setup(Level.Trial)
        public void init(BenchmarkParams params, Shared shared) {
            for (int i = 0; i < ids.length; i++) {
                ids[i] = "user-" + (i * 7919 + Thread.currentThread().getId());
            }
            props = Clients.properties();
            String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
            label = "client=" + shared.client + " mode=" + method + " threads=" + params.getThreads();
        }

        @Setup(Level.Iteration)
        public void iteration(IterationParams ip) {
            measuring = ip.getType() == IterationType.MEASUREMENT;
        }

        @TearDown(Level.Trial)
        public void report() {
            System.out.println("CALLER_ALLOC " + label + " bytesPerOp=" + (ops == 0 ? -1 : bytes / ops));
        }

        void burst(Clients.Client c) {
            long before = threads.getCurrentThreadAllocatedBytes();
            String[] ids = this.ids;
            int n = next;
            for (int i = 0; i < BURST; i++) {
                c.capture(ids[(n + i) & 1023], EVENT, props);
            }
            next = n + BURST;
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
            shared.c.flush();
            shared.sink.awaitEvents(shared.captured.get(), 2_000);
        }

    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public void drainedBurst(Shared shared, Caller caller, Drainer drainer) {
        caller.burst(shared.c);
        shared.captured.addAndGet(BURST);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public void flatOut(Shared shared, Caller caller) {
        caller.burst(shared.c);
    }

}
