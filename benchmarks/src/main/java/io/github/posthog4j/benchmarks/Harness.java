package io.github.posthog4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmarks 2 to 4, which measure at the sink or over a wall-clock scenario rather than
 * per call, so they are a small main() instead of JMH: run one scenario for one client
 * per JVM. Prints {@code RESULT} lines that {@code run.sh} collects into the table.
 *
 * <pre>
 * java -cp benchmarks.jar io.github.posthog4j.benchmarks.Harness throughput CLIENT [queueCapacity]
 * java -cp benchmarks.jar io.github.posthog4j.benchmarks.Harness stall CLIENT [queueCapacity] [stallSeconds]
 * java -cp benchmarks.jar io.github.posthog4j.benchmarks.Harness memory CLIENT
 * </pre> queueCapacity 0 keeps the client's default.
 */
public final class Harness {

    /**
     * Not a multiple of any client's batch size (20, 50, 100, ...): a lost tail shows.
     */
    static final int THROUGHPUT_EVENTS = 200_003;
    static final int THROUGHPUT_REPS = 3;
    static final int STALL_EVENTS = 100_000;

    /** Paced captures before the stall test's healthy phase (JIT warm-up). */
    static final int WARM_EVENTS = 50_000;

    /** Paced captures: {@value #PACE_BURST} every millisecond-ish tick, 10k events/s. */
    static final int PACE_BURST = 100;
    static final long PACE_TICK_NANOS = 10_000_000L;
    static final int MEMORY_EVENTS = 10_000;

    private Harness() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Harness throughput|stall|memory CLIENT [queueCapacity] [stallSeconds]");
            System.exit(2);
        }
        String scenario = args[0];
        String client = args[1];
        int capacity = (args.length > 2) ? Integer.parseInt(args[2]) : 0;
        switch (scenario) {
            case "throughput" -> throughput(client, capacity);
            case "stall" -> stall(client, capacity, (args.length > 3) ? Integer.parseInt(args[3]) : 15);
            case "memory" -> memory(client);
            default -> throw new IllegalArgumentException(scenario);
        }
        System.exit(0); // the official SDKs may leave non-daemon threads behind
    }

    // ------------------------------------------------------------------------------------------
    // throughput

    /**
     * 200,003 events captured flat-out from 2 threads, then flush() and close(); events/s
     * is what the sink counted by the time close() returned, divided by the time from the
     * first capture to then. Loss is captured minus what the sink counted after it stayed
     * quiet for a second.
     */
    static void throughput(String name, int capacity) throws Exception {
        double[] rates = new double[THROUGHPUT_REPS];
        double[] cpus = new double[THROUGHPUT_REPS];
        double[] clientCpus = new double[THROUGHPUT_REPS];
        long maxPeakHeap = 0;
        long maxLost = 0;
        double coldRate = 0;
        for (int rep = -2; rep < THROUGHPUT_REPS; rep++) { // reps -2 and -1 warm the JIT
                                                           // up, not reported
            try (BenchSink sink = sink(false)) {
                Clients.Client c = Clients.create(name, sink.url(), capacity);
                int half = THROUGHPUT_EVENTS / 2;
                System.gc(); // the previous run's garbage out of the old generation, then
                             // the peak reset
                peakHeapBytes();
                long cpu0 = processCpuNanos();
                long sinkCpu0 = sink.processCpuNanos();
                long gcMs0 = gcMillis();
                long t0 = System.nanoTime();
                Thread a = new Thread(() -> captureN(c, half, "a"));
                Thread b = new Thread(() -> captureN(c, THROUGHPUT_EVENTS - half, "b"));
                a.start();
                b.start();
                a.join();
                b.join();
                long tCaptured = System.nanoTime();
                c.flush();
                long deliveryCpuMs = deliveryThreadsCpuMillis();
                long httpThreads = Thread.getAllStackTraces()
                    .keySet()
                    .stream()
                    .filter((t) -> t.getName().startsWith("posthog-http"))
                    .count();
                long queueFull = c.queueFullDrops();
                String status = c.status();
                c.close();
                long tClosed = System.nanoTime();
                long atClose = sink.events();
                sink.awaitQuiet(1_000, 30_000);
                long received = sink.events();
                // CPU of both JVMs (client, JIT, GC and the sink), and of the client's
                // JVM alone (in one JVM: less the sink's request handlers)
                long cpu = processCpuNanos() - cpu0;
                long sinkJvmCpu = sink.processCpuNanos();
                long both = (sinkJvmCpu < 0) ? cpu : cpu + sinkJvmCpu - sinkCpu0;
                long clientOnly = (sinkJvmCpu < 0) ? cpu - sink.handlerCpuNanos() : cpu;
                double cpuUs = both / 1e3 / Math.max(1, received);
                double clientCpuUs = clientOnly / 1e3 / Math.max(1, received);
                long gcMs = gcMillis() - gcMs0;
                long peakHeap = peakHeapBytes();
                // Delivery time: first capture to the last request the sink counted
                // (posthog-server's close()
                // returns before its executor has sent everything, so close() is not the
                // end).
                double secs = (Math.max(sink.lastEventNanos(), tCaptured) - t0) / 1e9;
                double rate = received / secs;
                if (rep == -2) {
                    coldRate = rate;
                }
                if (rep >= 0) {
                    cpus[rep] = cpuUs;
                    clientCpus[rep] = clientCpuUs;
                    maxPeakHeap = Math.max(maxPeakHeap, peakHeap);
                    rates[rep] = rate;
                    maxLost = Math.max(maxLost, THROUGHPUT_EVENTS - received);
                }
                System.out.printf(Locale.ROOT,
                        "RUN throughput client=%s queue=%s rep=%d captureMs=%.0f closeMs=%.0f deliveredMs=%.0f "
                                + "receivedAtClose=%d received=%d lost=%d queueFullDrops=%d requests=%d gzipRequests=%d "
                                + "maxBodyBytes=%d wireBytes=%d eventsPerSec=%.0f deliveryThreadsCpuMs=%d httpThreads=%d cpuUsPerEvent=%.2f "
                                + "clientCpuUsPerEvent=%.2f gcMs=%d peakHeapBytes=%d %s%n",
                        name, capLabel(capacity), rep, (tCaptured - t0) / 1e6, (tClosed - t0) / 1e6, secs * 1e3,
                        atClose, received, THROUGHPUT_EVENTS - received, queueFull, sink.requests(),
                        sink.gzipRequests(), sink.maxBodyBytes(), sink.wireBytes(), rate, deliveryCpuMs, httpThreads,
                        cpuUs, clientCpuUs, gcMs, peakHeap, status);
                if (rep == THROUGHPUT_REPS - 1) {
                    double mean = Arrays.stream(rates).average().orElse(0);
                    double sd = Math.sqrt(Arrays.stream(rates).map(r -> (r - mean) * (r - mean)).sum()
                            / Math.max(1, rates.length - 1));
                    System.out.printf(Locale.ROOT,
                            "RESULT throughput client=%s queue=%s eventsPerSec=%.0f sd=%.0f coldEventsPerSec=%.0f "
                                    + "maxLost=%d queueFullLastRep=%d requests=%d gzip=%s maxBodyBytes=%d "
                                    + "cpuUsPerEvent=%.2f clientCpuUsPerEvent=%.2f peakHeapBytes=%d%n",
                            name, capLabel(capacity), mean, sd, coldRate, maxLost, queueFull, sink.requests(),
                            sink.gzipRequests() == sink.requests() ? "yes" : "no", sink.maxBodyBytes(),
                            Arrays.stream(cpus).average().orElse(0), Arrays.stream(clientCpus).average().orElse(0),
                            maxPeakHeap);
                }
            }
        }
    }

    /**
     * The sink of one run: in a JVM of its own unless {@code -Dbench.sink=inproc} (then
     * in this one, as before issue 17's second round).
     */
    static BenchSink sink(boolean dedupe) {
        return "inproc".equals(System.getProperty("bench.sink")) ? new Sink(dedupe) : SinkProcess.open(dedupe);
    }

    /** CPU time of this whole JVM so far (every thread: client, JIT, GC). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    private static long gcMillis() {
        long total = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static final java.util.concurrent.atomic.AtomicLong PEAK_AFTER_GC = new java.util.concurrent.atomic.AtomicLong();

    static {
        // the heap in use right after each collection (live data plus what the collection
        // left): its peak over a
        // run is what the run needed the heap to hold, without the garbage of a large
        // young generation
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof javax.management.NotificationEmitter emitter) {
                emitter.addNotificationListener((n, handback) -> {
                    if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                        .equals(n.getType())) {
                        return;
                    }
                    var info = com.sun.management.GarbageCollectionNotificationInfo
                        .from((javax.management.openmbean.CompositeData) n.getUserData());
                    long used = 0;
                    for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                        if (!e.getKey().contains("Metaspace") && !e.getKey().contains("Code")
                                && !e.getKey().contains("Class")) {
                            used += e.getValue().getUsed();
                        }
                    }
                    PEAK_AFTER_GC.accumulateAndGet(used, Math::max);
                }, null, null);
            }
        }
    }

    /**
     * The peak of the heap in use after a collection since the last call (then reset).
     */
    static long peakHeapBytes() {
        return PEAK_AFTER_GC.getAndSet(0);
    }

    /**
     * CPU time used so far by the clients' own delivery threads (ours: posthog-consumer-N
     * and posthog-http-N; the official SDKs' thread names differ, so this is a diagnostic
     * for ours only).
     */
    private static long deliveryThreadsCpuMillis() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("posthog-consumer") || t.getName().startsWith("posthog-http")) {
                long cpu = mx.getThreadCpuTime(t.getId());
                total += Math.max(0, cpu);
            }
        }
        return total / 1_000_000;
    }

    private static void captureN(Clients.Client c, int n, String prefix) {
        Map<String, Object> props = Clients.properties();
        String[] ids = ids(prefix);
        for (int i = 0; i < n; i++) {
            c.capture(ids[i & 1023], CaptureBenchmark.EVENT, props);
        }
    }

    private static String[] ids(String prefix) {
        String[] ids = new String[1024];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "user-" + prefix + i;
        }
        return ids;
    }

    private static String capLabel(int capacity) {
        return capacity == 0 ? "default" : Integer.toString(capacity);
    }

    // ------------------------------------------------------------------------------------------
    // stall

    /**
     * Caller latency of 100k paced captures (10k/s) against a healthy sink, then of 100k
     * more while the sink accepts but answers nothing for {@code stallSeconds}; then the
     * sink recovers, the client flushes and closes, and the loss is captured minus
     * received.
     */
    static void stall(String name, int capacity, int stallSeconds) throws Exception {
        try (BenchSink sink = sink(true)) {
            Clients.Client c = Clients.create(name, sink.url(), capacity);
            // JIT warm-up, same pacing: 5 s (with 2 s, -Xlog:jit+compilation still showed
            // some 70 compilations per 100 ms at the start of the healthy phase, and its
            // slowest captures were there, with no JVM pause)
            long[] warm = paced(c, WARM_EVENTS, "w");
            // the JVM's first young collection copies its start-up objects (~8 ms here):
            // part of the warm-up, as between the throughput runs
            System.gc();
            long[] healthy = paced(c, STALL_EVENTS, "h");
            double healthyMaxAt = lastSlowestAtSeconds;
            c.flush();
            sink.awaitEvents(WARM_EVENTS + STALL_EVENTS, 10_000);
            long beforeStall = sink.events();
            sink.stall();
            long stallStart = System.nanoTime();
            long[] stalled = paced(c, STALL_EVENTS, "s");
            double stalledMaxAt = lastSlowestAtSeconds;
            long left = stallStart + stallSeconds * 1_000_000_000L - System.nanoTime();
            if (left > 0) {
                Thread.sleep(left / 1_000_000);
            }
            sink.resume();
            long captured = WARM_EVENTS + 2L * STALL_EVENTS;
            c.flush();
            long queueFull = c.queueFullDrops();
            String status = c.status();
            c.close();
            // posthog-server's close() returns before its executor is done: give every
            // client 20 s to deliver
            sink.awaitEvents(captured - Math.max(0, queueFull), 20_000);
            sink.awaitQuiet(1_000, 10_000);
            long received = sink.events();
            long unique = sink.uniqueEvents();
            long delivered = (unique > 0) ? unique : received;
            System.out.printf(Locale.ROOT, "RESULT stall client=%s queue=%s stallSeconds=%d "
                    + "healthyP99Ns=%d healthyP999Ns=%d healthyMaxNs=%d stalledP99Ns=%d stalledP999Ns=%d "
                    + "stalledMaxNs=%d p999Ratio=%.2f receivedBeforeStall=%d received=%d unique=%d duplicates=%d "
                    + "lost=%d queueFullDrops=%d warmMaxNs=%d healthyMaxAtS=%.3f stalledMaxAtS=%.3f %s%n", name,
                    capLabel(capacity), stallSeconds, pct(healthy, 0.99), pct(healthy, 0.999), pct(healthy, 1.0),
                    pct(stalled, 0.99), pct(stalled, 0.999), pct(stalled, 1.0),
                    (double) pct(stalled, 0.999) / Math.max(1, pct(healthy, 0.999)), beforeStall, received, unique,
                    received - delivered, captured - delivered, queueFull, pct(warm, 1.0), healthyMaxAt, stalledMaxAt,
                    status);
        }
    }

    /**
     * Captures n events at 10k/s (bursts of 100 every 10 ms) and returns each call's
     * latency in ns.
     */
    private static long[] paced(Clients.Client c, int n, String prefix) {
        Map<String, Object> props = Clients.properties();
        String[] ids = ids(prefix);
        long[] lat = new long[n];
        int slowest = 0;
        long slowestAt = System.nanoTime();
        long next = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (i % PACE_BURST == 0) {
                next += PACE_TICK_NANOS;
                long wait;
                while ((wait = next - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            long t = System.nanoTime();
            c.capture(ids[i & 1023], CaptureBenchmark.EVENT, props);
            lat[i] = System.nanoTime() - t;
            if (lat[i] > lat[slowest]) {
                slowest = i;
                slowestAt = t;
            }
        }
        // when the slowest capture started, in seconds of JVM uptime (as -Xlog prints
        // them), to match it with a collection or a safepoint
        lastSlowestAtSeconds = (ManagementFactory.getRuntimeMXBean().getUptime()
                - (System.nanoTime() - slowestAt) / 1_000_000) / 1000.0;
        return lat;
    }

    /** When the slowest capture of the last {@link #paced} run started (JVM uptime). */
    private static double lastSlowestAtSeconds;

    private static long pct(long[] values, double p) {
        long[] s = values.clone();
        Arrays.sort(s);
        int i = (int) Math.min(s.length - 1, Math.ceil(p * s.length) - 1);
        return s[Math.max(0, i)];
    }

    // ------------------------------------------------------------------------------------------
    // memory

    /**
     * Retained heap per queued event: warm the client up against a healthy sink, stall
     * the sink so nothing is acknowledged (events stay queued or in flight), measure used
     * heap after repeated System.gc(), capture 10,000 events, measure again. The queue
     * capacity is raised above 10,000 where the client has one.
     */
    static void memory(String name) throws Exception {
        try (BenchSink sink = sink(false)) {
            Clients.Client c = Clients.create(name, sink.url(), 50_000);
            // warm-up: load classes, start threads and connections
            Map<String, Object> props = Clients.properties();
            String[] warmIds = ids("w");
            for (int i = 0; i < 2_000; i++) {
                c.capture(warmIds[i & 1023], CaptureBenchmark.EVENT, props);
            }
            c.flush();
            sink.awaitEvents(2_000, 10_000);
            sink.awaitQuiet(500, 5_000);
            sink.stall();
            long before = usedAfterGc();
            List<String> distinctIds = new ArrayList<>(MEMORY_EVENTS);
            for (int i = 0; i < MEMORY_EVENTS; i++) {
                distinctIds.add("user-m" + i); // distinct ids belong to the caller's
                                               // heap, allocated first
            }
            long withIds = usedAfterGc();
            for (int i = 0; i < MEMORY_EVENTS; i++) {
                c.capture(distinctIds.get(i), CaptureBenchmark.EVENT, Clients.properties());
            }
            Thread.sleep(500); // let consumers pick batches up: in-flight events count as
                               // retained too
            long after = usedAfterGc();
            double perEvent = (after - withIds) / (double) MEMORY_EVENTS;
            System.out.printf(Locale.ROOT,
                    "RESULT memory client=%s events=%d retainedBytesPerEvent=%.0f "
                            + "heapBefore=%d heapAfter=%d idsBytes=%d receivedDuringStall=%d %s%n",
                    name, MEMORY_EVENTS, perEvent, before, after, withIds - before, sink.events() - 2_000L, c.status());
            if (distinctIds.size() != MEMORY_EVENTS) {
                throw new AssertionError(); // keeps distinctIds reachable until after the
                                            // measurement
            }
            sink.resume();
            c.close();
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long prev = Long.MAX_VALUE;
        long used = 0;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(100);
            used = mem.getHeapMemoryUsage().getUsed();
            if (Math.abs(prev - used) < 16 * 1024) {
                break;
            }
            prev = used;
        }
        return used;
    }

}
