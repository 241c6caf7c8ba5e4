package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.ExceptionOptions;
import io.github.posthog4j.client.LogOptions;
import io.github.posthog4j.client.PosthogClientBuilder;
import io.github.posthog4j.client.PosthogClientListener;
import io.github.posthog4j.client.PosthogClientStatus;
import io.github.posthog4j.client.PosthogFlagsStatus;
import io.github.posthog4j.client.PosthogSpan;
import io.github.posthog4j.client.SpanCallback;
import io.github.posthog4j.client.SpanOptions;
import io.github.posthog4j.client.internal.flags.FeatureFlags;
import io.github.posthog4j.client.internal.flags.FlagPoller;
import io.github.posthog4j.client.internal.logs.LogCapture;
import io.github.posthog4j.client.internal.traces.Tracer;
import io.github.posthog4j.client.internal.spool.DiskSpool;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The client: a thin façade over its parts. It owns what outlives the delivery threads
 * (settings, queue, spool, counters, flags) and wires the parts; a {@link DeliveryEngine}
 * owns the threads and is built anew by every {@link #start()}. Capture goes through
 * {@link CapturePipeline}; the line of work and its wake-ups are the
 * {@link Dispatcher}'s; outages are {@link OutageBackoff}'s; flush and the last drain are
 * {@link FlushCoordinator}'s. See {@code docs/ARCHITECTURE.md}. Internal API: build
 * clients with {@link io.github.posthog4j.client.PosthogClient#builder(String)}.
 */
public final class DefaultPosthogClient extends FlagCallsClient {

    private static final Log log = Log.CLIENT;

    private volatile ClientSettings settings;

    private final Stats stats = new Stats();

    private final Listeners listeners;

    private final DeferredLog deferredLog = new DeferredLog(Log.CLIENT);

    private final Drops drops;

    private final Diagnostics diagnostics;

    private final SuperProperties superProperties;

    private final MemoryQueue queue;

    private final OutageBackoff backoff;

    private final @Nullable SpoolPump spool;

    private final Dispatcher dispatcher;

    private final DeliveryParts parts;

    private final FlushCoordinator flusher;

    private final Pipelines pipelines;

    private final CapturePipeline pipeline;

    private final FeatureFlags flags;

    private final ExceptionCapture exceptions;

    private final Tracer tracer;

    private final LogCapture logs;

    private final Object lifecycle = new Object();

    private volatile @Nullable DeliveryEngine engine;

    private int generation;

    private volatile boolean closed;

    /**
     * When the last stop() of a running engine began and ended, for close's shared
     * budget.
     */
    private volatile long lastStopNanos;

    private volatile long lastStopEndNanos;

    /**
     * Creates a stopped client; {@link #start()} starts delivery.
     * @param settings validated settings
     */
    public DefaultPosthogClient(ClientSettings settings) {
        this.settings = settings;
        this.listeners = new Listeners(settings.listeners());
        this.drops = new Drops(this.stats, this.listeners, this.deferredLog);
        this.diagnostics = new Diagnostics(this.deferredLog, this.listeners);
        this.superProperties = new SuperProperties(settings.superProperties());
        this.queue = new MemoryQueue(settings.maxQueueSize());
        this.queue.byteCapacity(settings.queueByteBound());
        PipelineSpec eventsSpec = PipelineSpec.events();
        Pipelines.LimitsHolder eventsLimits = new Pipelines.LimitsHolder(eventsSpec, settings);
        this.backoff = new OutageBackoff(eventsLimits, this::wakeConsumers);
        DiskSpool disk = SpoolPump.open(settings);
        this.spool = (disk != null) ? new SpoolPump(disk, this::settings, this.drops) : null;
        if (disk != null) {
            this.stats.recovered.add(disk.recovered());
        }
        this.dispatcher = new Dispatcher(eventsLimits, this.queue, this.spool, this.backoff, this.stats);
        DeliveryResults results = new DeliveryResults(this.dispatcher, this.spool, this.stats, this.drops,
                this.backoff);
        this.parts = new DeliveryParts(eventsSpec, eventsLimits, this.queue, this::settings, this.dispatcher, results,
                this.backoff, this.listeners, this::addLateFlags, this.spool, this.stats, this.drops);
        this.flusher = new FlushCoordinator(this.parts, this::isRunning, this::isClosed);
        this.pipelines = new Pipelines(new Pipelines.Pipeline(this.parts, this.flusher, eventsLimits), this::settings,
                this.listeners, this.deferredLog, this::isRunning, this::isClosed, this::attach);
        this.flags = new FeatureFlags(this::settings, this.listeners, this::captureFlagEvent);
        this.pipeline = new CapturePipeline(this::settings, this.superProperties, this.queue, this.spool,
                this.dispatcher, this.stats, this.drops, this::isClosed, this::flagsWithoutRequest,
                () -> CapturePipeline.Intake.of(this.pipelines.ai().parts()), this.diagnostics::captured);
        this.exceptions = new ExceptionCapture(this::settings, this.drops, this::isOptedOut, this.pipeline::capture);
        this.tracer = new Tracer(this::settings, this::isClosed, this::isOptedOut, this.pipelines::tracesIntake);
        this.logs = new LogCapture(this::settings, this::isClosed, this::isOptedOut, this.pipelines::logsIntake,
                this.tracer::active);
        this.pipelines.resumeSpooledLogs();
        if (settings.debug()) {
            this.diagnostics.enabled(true);
        }
        if (settings.insecureRemoteHost()) {
            log.warn("The PostHog host " + settings.host() + " uses plain http: events and the project API key "
                    + "travel unencrypted. Use https unless this is a trusted local proxy.");
        }
    }

    ClientSettings settings() {
        return this.settings;
    }

    /**
     * @return the events pipeline's in-memory queue (for tests in this package)
     */
    MemoryQueue queue() {
        return this.queue;
    }

    @Override
    FeatureFlags flags() {
        return this.flags;
    }

    /**
     * A pipeline created while the engine runs joins it. Without the lifecycle lock: the
     * first AI capture must not wait for a stop or close in progress. An engine that
     * starts later finds the pipeline in {@code Pipelines.others()}; one that is starting
     * takes it in {@link DeliveryEngine#attach} once its start is done.
     */
    private void attach(DeliveryParts pipeline) {
        DeliveryEngine e = this.engine;
        if (e != null) {
            e.attach(pipeline);
        }
    }

    /** Captures an event of feature flags, keeping only the allowlisted properties. */
    private @Nullable String captureFlagEvent(CaptureOptions event, java.util.@Nullable Set<String> allowlist) {
        return this.pipeline.capture(event, allowlist);
    }

    private void wakeConsumers() {
        this.dispatcher.signalWork();
    }

    /**
     * Flag properties for a capture, from local knowledge only (never a request on the
     * caller's thread).
     */
    private @Nullable Map<String, @Nullable Object> flagsWithoutRequest(CaptureOptions options,
            @Nullable Map<String, @Nullable Object> props) {
        if (options.flags() == null && !this.flags.definitionsLoaded()) {
            return null; // added by the delivery side, which may ask PostHog
        }
        return this.flags.enrichCapture(options, props, false);
    }

    /**
     * On a delivery thread: adds the flag properties a capture asked for (may ask
     * PostHog).
     */
    private void addLateFlags(QueuedEvent e) {
        CaptureOptions options = e.flagsFor;
        e.flagsFor = null;
        if (options != null) {
            e.properties = this.flags.enrichCapture(options, e.properties, true);
        }
    }

    // ------------------------------------------------------------------------------------------
    // capture API

    @Override
    public @Nullable String capture(@Nullable String distinctId, @Nullable String event) {
        return this.pipeline.capture(distinctId, event, null);
    }

    @Override
    public @Nullable String capture(@Nullable String distinctId, @Nullable String event,
            @Nullable Map<String, ?> properties) {
        return this.pipeline.capture(distinctId, event, properties);
    }

    @Override
    public @Nullable String capture(@Nullable CaptureOptions options) {
        return this.pipeline.capture(options);
    }

    @Override
    public @Nullable String captureException(@Nullable ExceptionOptions options) {
        return this.exceptions.capture(options);
    }

    @Override
    public @Nullable String captureAi(@Nullable String distinctId, @Nullable String event,
            @Nullable Map<String, ?> properties) {
        return this.pipeline.captureAi(distinctId, event, properties);
    }

    @Override
    public @Nullable String captureAi(@Nullable String distinctId, @Nullable String event) {
        return this.pipeline.captureAi(distinctId, event, null);
    }

    @Override
    public @Nullable String captureAi(@Nullable CaptureOptions options) {
        return this.pipeline.captureAi(options);
    }

    @Override
    public void captureLog(@Nullable LogOptions options) {
        this.logs.capture(options);
    }

    @Override
    public PosthogSpan startSpan(String name, @Nullable SpanOptions options) {
        return this.tracer.start(name, options);
    }

    @Override
    public <T, E extends Throwable> T withSpan(String name, @Nullable SpanOptions options, SpanCallback<T, E> work)
            throws E {
        return this.tracer.withSpan(name, options, work);
    }

    @Override
    public <T> CompletionStage<T> withSpanAsync(String name, @Nullable SpanOptions options,
            Function<PosthogSpan, ? extends CompletionStage<T>> work) {
        return this.tracer.withSpanAsync(name, options, work);
    }

    @Override
    public @Nullable PosthogSpan getActiveSpan() {
        return this.tracer.active();
    }

    @Override
    public void identify(@Nullable String distinctId, @Nullable Map<String, ?> set, @Nullable Map<String, ?> setOnce) {
        this.pipeline.identify(distinctId, set, setOnce);
    }

    @Override
    public void set(@Nullable String distinctId, @Nullable Map<String, ?> properties) {
        this.pipeline.personUpdate("set", "$set", distinctId, properties);
    }

    @Override
    public void setOnce(@Nullable String distinctId, @Nullable Map<String, ?> properties) {
        this.pipeline.personUpdate("setOnce", "$set_once", distinctId, properties);
    }

    @Override
    public void alias(@Nullable String distinctId, @Nullable String alias) {
        this.pipeline.alias(distinctId, alias);
    }

    @Override
    public void groupIdentify(@Nullable String groupType, @Nullable String groupKey,
            @Nullable Map<String, ?> properties) {
        this.pipeline.groupIdentify(groupType, groupKey, properties);
    }

    @Override
    public void register(@Nullable String key, @Nullable Object value) {
        if (key != null) {
            this.superProperties.register(key, value);
        }
    }

    @Override
    public void unregister(@Nullable String key) {
        if (key != null) {
            this.superProperties.unregister(key);
        }
    }

    @Override
    public void optOut() {
        this.pipeline.optedOut(true);
    }

    @Override
    public void optIn() {
        this.pipeline.optedOut(false);
    }

    @Override
    public boolean isOptedOut() {
        return this.pipeline.isOptedOut();
    }

    @Override
    public void debug(boolean enabled) {
        this.diagnostics.enabled(enabled);
    }

    @Override
    public boolean isDebug() {
        return this.diagnostics.enabled();
    }

    @Override
    public int flush() {
        return flush(this.settings.flushTimeout());
    }

    @Override
    public int flush(Duration timeout) {
        return this.pipelines.flush(timeout);
    }

    // ------------------------------------------------------------------------------------------
    // lifecycle

    @Override
    public void start() {
        synchronized (this.lifecycle) {
            if (this.closed || this.engine != null || this.settings.directDelivery() != null) {
                return;
            }
            if (this.generation++ > 0) {
                this.stats.consumerRestarts.increment();
            }
            DeliveryEngine e = new DeliveryEngine(this.parts, this.settings, this.generation,
                    (s) -> new FlagPoller(this.flags, s));
            this.engine = e;
            e.start(this.pipelines.others());
            FlagPoller poller = e.flagPoller();
            if (poller != null) {
                poller.awaitFirstAttempt(this.settings.flags().initialLoadWait());
            }
        }
    }

    @Override
    public void stop() {
        synchronized (this.lifecycle) {
            if (this.engine != null) {
                this.lastStopNanos = System.nanoTime();
            }
            stopEngine(System.nanoTime() + this.settings.shutdownTimeout().toNanos());
            if (this.spool != null) {
                this.spool.quiesce();
            }
            this.pipelines.quiesceSpools();
            this.lastStopEndNanos = System.nanoTime();
            this.flags.closeRemote();
            this.deferredLog.quiesce();
        }
    }

    private void stopEngine(long deadlineNanos) {
        DeliveryEngine e = this.engine;
        if (e != null) {
            this.engine = null;
            e.stop(deadlineNanos);
        }
    }

    @Override
    public boolean isRunning() {
        return this.engine != null;
    }

    @Override
    public boolean isClosed() {
        return this.closed;
    }

    @Override
    public boolean reconfigure(PosthogClientBuilder builder) {
        ClientSettings next = ClientSettings.of(builder);
        synchronized (this.lifecycle) {
            ClientSettings current = this.settings;
            if (this.closed) {
                return false;
            }
            if (!Objects.equals(next.spoolDirectory(), current.spoolDirectory())
                    || (next.spoolDirectory() != null && (next.spoolMaxBytes() != current.spoolMaxBytes()
                            || !next.spoolSyncInterval().equals(current.spoolSyncInterval())))) {
                log.warn("PostHog spool settings changed at runtime; they take effect at the next start of the "
                        + "application (the spool in use stays "
                        + ((this.spool != null) ? current.spoolDirectory() : "off") + ")");
                next = next.withSpool(current.spoolDirectory(), current.spoolMaxBytes(), current.spoolSyncInterval());
            }
            if (next.equals(current)) {
                return false;
            }
            boolean wasRunning = this.engine != null;
            stopEngine(System.nanoTime() + current.shutdownTimeout().toNanos());
            this.pipelines.settingsChanged(next);
            this.flags.settingsChanging(current, next);
            if (next.optOut() != current.optOut()) {
                this.pipeline.optedOut(next.optOut());
            }
            if (next.debug() != current.debug()) {
                this.diagnostics.enabled(next.debug());
            }
            this.settings = next;
            this.listeners.configure(next.listeners());
            this.superProperties.configure(next.superProperties());
            if (wasRunning) {
                start();
            }
            return true;
        }
    }

    @Override
    public void close() {
        synchronized (this.lifecycle) {
            if (this.closed) {
                return;
            }
            this.closed = true;
            ClientSettings s = this.settings;
            // A stop just before close (a container stopping the engine during shutdown)
            // and the close share one
            // shutdown-timeout budget, so that the whole shutdown fits in it.
            long now = System.nanoTime();
            boolean rightAfterStop = this.engine == null && this.lastStopNanos != 0
                    && now - this.lastStopEndNanos < TimeUnit.SECONDS.toNanos(1);
            long deadline = (rightAfterStop ? this.lastStopNanos : now) + s.shutdownTimeout().toNanos();
            stopEngine(deadline);
            this.tracer.close();
            this.pipelines.closeDrain(deadline);
            this.flags.close();
            this.drops.reportQueueFull(0, s.maxQueueSize(), true);
            this.deferredLog.quiesce();
        }
    }

    /**
     * Waits until every event (and log record) captured so far is forced to disk (a test
     * and shutdown aid; a capture is in the spool, safe from a crash of the process, when
     * it returns).
     * @param timeout the longest wait
     * @return whether that happened in time (false without a spool)
     */
    public boolean awaitSpooled(Duration timeout) throws InterruptedException {
        SpoolPump s = this.spool;
        long deadline = System.nanoTime() + timeout.toNanos();
        return s != null && s.awaitSpooled(timeout) && this.pipelines.awaitSpooled(deadline);
    }

    @Override
    public PosthogClientStatus status() {
        ClientSettings s = this.settings;
        return new PosthogClientStatus(isRunning(), this.closed,
                (int) Math.min(Integer.MAX_VALUE, this.dispatcher.pending()), s.maxQueueSize(),
                this.stats.consumersActive.get(), this.stats.captured.sum(), this.stats.sent.sum(),
                this.stats.droppedByReason(), this.stats.retries.sum(), this.stats.consumerRestarts.sum(),
                this.stats.lastSuccess(), this.stats.consecutiveFailures.get(), this.stats.lastError,
                this.backoff.isActive());
    }

    @Override
    public Map<String, PosthogClientStatus> pipelineStatus() {
        return this.pipelines.status(status());
    }

    @Override
    public PosthogFlagsStatus flagsStatus() {
        DeliveryEngine e = this.engine;
        FlagPoller poller = (e != null) ? e.flagPoller() : null;
        return this.flags.status(poller != null && poller.isAlive());
    }

    @Override
    public void addListener(PosthogClientListener listener) {
        this.listeners.add(listener);
    }

    @Override
    public void removeListener(PosthogClientListener listener) {
        this.listeners.remove(listener);
    }

    @Override
    public String toString() {
        return "PosthogClient[host=" + this.settings.host() + ", running=" + isRunning() + ", closed=" + this.closed
                + ", queued=" + this.dispatcher.pending() + "]";
    }

}
