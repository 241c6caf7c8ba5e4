package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.PosthogClientStatus;
import io.github.posthog4j.client.RequestReport;
import io.github.posthog4j.client.internal.spool.DiskSpool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The client's delivery pipelines: the analytics events pipeline, built with the client,
 * and the pipelines that start lazily (the AI pipeline at the first {@code captureAi}: a
 * client that never captures AI events has no AI queue and no AI thread). Creates a lazy
 * pipeline from its {@link PipelineSpec} with the same parts as every pipeline (memory
 * queue, dispatcher, outage backoff, results, counters, drops, flush), attaches it to the
 * running engine, and answers flush, close, reconfigure and status for all of them.
 */
final class Pipelines {

    private final Pipeline events;

    private final Supplier<ClientSettings> settings;

    private final Listeners listeners;

    private final DeferredLog deferredLog;

    private final BooleanSupplier running;

    private final BooleanSupplier closed;

    private final Consumer<DeliveryParts> attach;

    private final Object lock = new Object();

    /** The pipelines created on first use: AI, logs, traces (in that order). */
    private final java.util.concurrent.atomic.AtomicReferenceArray<Pipeline> lazy = new java.util.concurrent.atomic.AtomicReferenceArray<>(
            3);

    private static final int AI = 0;

    private static final int LOGS = 1;

    private static final int TRACES = 2;

    /** The logs pipeline's spool directory, under the spool directory. */
    static final String LOGS_SPOOL = "logs";

    private volatile @Nullable SignalIntake logsIntake;

    private volatile @Nullable SignalIntake tracesIntake;

    /**
     * One pipeline: its parts and its flush coordinator.
     *
     * @param parts the parts
     * @param flusher its flush and last drain
     * @param limits its limits, recomputed when the settings change
     */
    record Pipeline(DeliveryParts parts, FlushCoordinator flusher, LimitsHolder limits) {
    }

    /** The current limits of a pipeline, read on hot paths without allocation. */
    static final class LimitsHolder implements Supplier<PipelineLimits> {

        private final PipelineSpec spec;

        private volatile PipelineLimits current;

        LimitsHolder(PipelineSpec spec, ClientSettings settings) {
            this.spec = spec;
            this.current = spec.limits().apply(settings);
        }

        @Override
        public PipelineLimits get() {
            return this.current;
        }

        void update(ClientSettings settings) {
            this.current = this.spec.limits().apply(settings);
        }

    }

    /**
     * @param events the analytics events pipeline
     * @param settings the current settings
     * @param listeners the client's listeners (requests, drops, new pipelines)
     * @param deferredLog where drop warnings are written
     * @param running whether the engine runs (for status)
     * @param closed whether the client is closed
     * @param attach attaches a new pipeline to the running engine, if any
     */
    Pipelines(Pipeline events, Supplier<ClientSettings> settings, Listeners listeners, DeferredLog deferredLog,
            BooleanSupplier running, BooleanSupplier closed, Consumer<DeliveryParts> attach) {
        this.events = events;
        this.settings = settings;
        this.listeners = listeners;
        this.deferredLog = deferredLog;
        this.running = running;
        this.closed = closed;
        this.attach = attach;
    }

    Pipeline events() {
        return this.events;
    }

    /**
     * @return the AI pipeline, created (and attached to the running engine) on first use
     */
    Pipeline ai() {
        return lazy(AI, PipelineSpec::ai);
    }

    /**
     * @return the logs pipeline, created (and attached to the running engine) on first
     * use
     */
    Pipeline logs() {
        return lazy(LOGS, PipelineSpec::logs);
    }

    /**
     * @return the traces pipeline, created (and attached to the running engine) on first
     * use
     */
    Pipeline traces() {
        return lazy(TRACES, PipelineSpec::traces);
    }

    /**
     * @return the intake of the logs pipeline (the oldest record makes room when the
     * queue is full), created with the pipeline
     */
    SignalIntake logsIntake() {
        SignalIntake intake = this.logsIntake;
        if (intake == null) {
            synchronized (this.lock) {
                intake = this.logsIntake;
                if (intake == null) {
                    intake = new SignalIntake(logs().parts(), this.closed, SignalIntake.Overflow.DROP_OLDEST,
                            "log record");
                    this.logsIntake = intake;
                }
            }
        }
        return intake;
    }

    /**
     * @return the intake of the traces pipeline (an incoming span is refused when the
     * queue is full), created with the pipeline
     */
    SignalIntake tracesIntake() {
        SignalIntake intake = this.tracesIntake;
        if (intake == null) {
            synchronized (this.lock) {
                intake = this.tracesIntake;
                if (intake == null) {
                    intake = new SignalIntake(traces().parts(), this.closed, SignalIntake.Overflow.DROP_NEWEST, "span");
                    this.tracesIntake = intake;
                }
            }
        }
        return intake;
    }

    private Pipeline lazy(int slot, java.util.function.Supplier<PipelineSpec> spec) {
        Pipeline p = this.lazy.get(slot);
        if (p != null) {
            return p;
        }
        synchronized (this.lock) {
            p = this.lazy.get(slot);
            if (p == null) {
                p = create(spec.get());
                this.lazy.set(slot, p);
                this.attach.accept(p.parts());
                this.listeners.pipelineCreated(p.parts().name());
            }
            return p;
        }
    }

    /**
     * @return every pipeline that exists, events first
     */
    List<Pipeline> all() {
        List<Pipeline> all = new ArrayList<>(4);
        all.add(this.events);
        for (int i = 0; i < this.lazy.length(); i++) {
            Pipeline p = this.lazy.get(i);
            if (p != null) {
                all.add(p);
            }
        }
        return all;
    }

    /**
     * @return the parts of the pipelines besides events that exist now
     */
    List<DeliveryParts> others() {
        List<DeliveryParts> others = new ArrayList<>(3);
        for (int i = 0; i < this.lazy.length(); i++) {
            Pipeline p = this.lazy.get(i);
            if (p != null) {
                others.add(p.parts());
            }
        }
        return others;
    }

    /**
     * @param name a pipeline's name
     * @return what it carries, for messages
     */
    static String carries(String name) {
        return switch (name) {
            case RequestReport.AI -> "AI events";
            case RequestReport.LOGS -> "log records";
            case RequestReport.TRACES -> "spans";
            default -> "events";
        };
    }

    private Pipeline create(PipelineSpec spec) {
        ClientSettings s = this.settings.get();
        LimitsHolder limits = new LimitsHolder(spec, s);
        Stats stats = new Stats();
        Drops drops = new Drops(stats, this.listeners, this.deferredLog, carries(spec.name()),
                "posthog." + spec.name() + ".max-queue-size", RequestReport.TRACES.equals(spec.name()));
        SpoolPump spool = RequestReport.LOGS.equals(spec.name()) ? logsSpool(s, drops, stats) : null;
        MemoryQueue queue = new MemoryQueue(limits.get().maxQueueSize());
        queue.byteCapacity(s.queueByteBound());
        Dispatcher[] dispatcher = new Dispatcher[1];
        OutageBackoff backoff = new OutageBackoff(limits, () -> dispatcher[0].signalWork());
        dispatcher[0] = new Dispatcher(limits, queue, spool, backoff, stats);
        DeliveryResults results = new DeliveryResults(dispatcher[0], spool, stats, drops, backoff);
        DeliveryParts parts = new DeliveryParts(spec, limits, queue, this.settings, dispatcher[0], results, backoff,
                this.listeners, (e) -> {
                }, spool, stats, drops);
        return new Pipeline(parts, new FlushCoordinator(parts, this.running, this.closed), limits);
    }

    /**
     * The logs pipeline's spool when the spool is on: a spool of its own in
     * {@value #LOGS_SPOOL} under the spool directory, with a quarter of the spool's disk
     * budget. Memory only (with a WARN) when that directory cannot be used.
     */
    private @Nullable SpoolPump logsSpool(ClientSettings s, Drops drops, Stats stats) {
        java.nio.file.Path root = s.spoolDirectory();
        if (root == null) {
            return null;
        }
        try {
            DiskSpool disk = SpoolPump.open(root.resolve(LOGS_SPOOL), logsSpoolBytes(s), carries(RequestReport.LOGS));
            stats.recovered.add(disk.recovered());
            return new SpoolPump(disk, this.settings, drops, SpooledRecords.LOGS);
        }
        catch (RuntimeException ex) {
            this.deferredLog.warn("PostHog log records stay in memory (not in the spool): " + ex.getMessage());
            return null;
        }
    }

    /**
     * @param s the settings
     * @return the logs spool's disk budget: a quarter of the spool's
     */
    static long logsSpoolBytes(ClientSettings s) {
        return s.spoolMaxBytes() / 4;
    }

    /**
     * With the spool on, opens the logs pipeline (and its spool) now when a previous run
     * left log records in it, so that they are delivered without waiting for a first log
     * record (the logs specification: persisted records resume on launch).
     */
    void resumeSpooledLogs() {
        java.nio.file.Path root = this.settings.get().spoolDirectory();
        if (root != null && java.nio.file.Files.isDirectory(root.resolve(LOGS_SPOOL))) {
            logs();
        }
    }

    /**
     * Stop: a last sync of the spools of the pipelines besides events, whose syncer
     * threads end.
     */
    void quiesceSpools() {
        for (DeliveryParts p : others()) {
            SpoolPump spool = p.spool();
            if (spool != null) {
                spool.quiesce();
            }
        }
    }

    /**
     * Waits until every record appended so far to the spools of the pipelines besides
     * events is forced to disk.
     * @param deadline the deadline ({@link System#nanoTime()})
     * @return whether that happened in time
     */
    boolean awaitSpooled(long deadline) throws InterruptedException {
        for (DeliveryParts p : others()) {
            SpoolPump spool = p.spool();
            if (spool != null && !spool.awaitSpooled(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }

    /**
     * New settings: every pipeline's limits and queue capacity follow.
     * @param next the new settings
     */
    void settingsChanged(ClientSettings next) {
        for (Pipeline p : all()) {
            p.limits().update(next);
            p.parts().queue().capacity(p.limits().get().maxQueueSize());
            p.parts().queue().byteCapacity(next.queueByteBound());
        }
    }

    /**
     * Flushes every pipeline within one time budget, events first.
     * @param timeout the longest wait in all
     * @return events sent while this call waited, all pipelines together
     */
    int flush(Duration timeout) {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        int sent = 0;
        for (Pipeline p : all()) {
            long left = Math.max(0, deadline - System.nanoTime());
            sent += p.flusher().flush(Duration.ofNanos(left));
        }
        return sent;
    }

    /**
     * Close's last drain of every pipeline, within one deadline.
     * @param deadline the deadline ({@link System#nanoTime()})
     */
    void closeDrain(long deadline) {
        for (Pipeline p : all()) {
            p.flusher().closeDrain(deadline);
            if (p != this.events) {
                p.parts().drops().reportQueueFull(0, p.limits().get().maxQueueSize(), true);
            }
        }
    }

    /**
     * @param events the events pipeline's status (the client's {@code status()})
     * @return every pipeline's status by name
     */
    Map<String, PosthogClientStatus> status(PosthogClientStatus events) {
        Map<String, PosthogClientStatus> all = new LinkedHashMap<>();
        all.put(RequestReport.EVENTS, events);
        for (Pipeline p : all()) {
            if (p != this.events) {
                all.put(p.parts().name(), status(p, events));
            }
        }
        return all;
    }

    private static PosthogClientStatus status(Pipeline p, PosthogClientStatus client) {
        DeliveryParts parts = p.parts();
        Stats s = parts.stats();
        return new PosthogClientStatus(client.running(), client.closed(),
                (int) Math.min(Integer.MAX_VALUE, parts.dispatcher().pending()), p.limits().get().maxQueueSize(),
                s.consumersActive.get(), s.captured.sum(), s.sent.sum(), s.droppedByReason(), s.retries.sum(),
                client.consumerRestarts(), s.lastSuccess(), s.consecutiveFailures.get(), s.lastError,
                parts.backoff().isActive());
    }

    /**
     * @return names of the pipelines that exist
     */
    List<String> names() {
        List<String> names = new ArrayList<>(4);
        for (Pipeline p : all()) {
            names.add(p.parts().name());
        }
        return names;
    }

}
