package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.internal.flags.FlagPoller;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One run of the delivery threads: created by each start of the client, discarded by its
 * stop. Runs every delivery pipeline: each gets consumer threads of its own (named by its
 * spec: {@code posthog-consumer-N} for events, {@code posthog-ai-consumer-N} for AI),
 * reading its own dispatcher; a pipeline created while the engine runs is attached to it
 * ({@link #attach}). Also owns the flag poller and the HTTP transport the pipelines
 * share; never a queue or the spool (captures append to the spool themselves).
 */
final class DeliveryEngine {

    private static final Log log = Log.CLIENT;

    private final DeliveryParts parts;

    private final ClientSettings settings;

    private final int generation;

    private final @Nullable FeatureFlagsHandle flags;

    private final CountDownLatch stopLatch = new CountDownLatch(1);

    private volatile boolean stopping;

    private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The pipelines besides the events one, attached to this run. */
    private final List<DeliveryParts> others = new java.util.concurrent.CopyOnWriteArrayList<>();

    private boolean started;

    private @Nullable Transport transport;

    private @Nullable FlagPoller flagPoller;

    /**
     * What the engine needs of the feature flags: a poller for this run when local
     * evaluation is on.
     */
    interface FeatureFlagsHandle {

        /**
         * @return a new, not yet started poller for this run
         */
        FlagPoller newPoller(ClientSettings settings);

    }

    DeliveryEngine(DeliveryParts parts, ClientSettings settings, int generation, @Nullable FeatureFlagsHandle flags) {
        this.parts = parts;
        this.settings = settings;
        this.generation = generation;
        this.flags = flags;
    }

    /**
     * Starts the threads of the events pipeline, of the given other pipelines and the
     * flag poller.
     * @param otherPipelines pipelines that exist already besides the events one
     */
    synchronized void start(List<DeliveryParts> otherPipelines) {
        this.transport = new HttpTransport(this.settings, "posthog-http-");
        this.started = true;
        int consumers = startConsumers(this.parts);
        for (DeliveryParts other : otherPipelines) {
            attach(other);
        }
        if (this.flags != null && this.settings.flags().pollerEnabled()) {
            this.flagPoller = this.flags.newPoller(this.settings);
            this.flagPoller.start();
        }
        if (log.isDebugEnabled()) {
            log.debug("PostHog delivery engine " + this.generation + " started with " + consumers + " consumer(s)");
        }
    }

    /**
     * Starts the consumers of a pipeline created while this engine runs (the AI pipeline
     * at the first AI capture). No-op once the engine stops.
     * @param pipeline the pipeline's parts
     */
    synchronized void attach(DeliveryParts pipeline) {
        if (!this.started || this.stopping || this.others.contains(pipeline)) {
            return;
        }
        this.others.add(pipeline);
        startConsumers(pipeline);
    }

    private int startConsumers(DeliveryParts pipeline) {
        PipelineLimits limits = pipeline.spec().limits().apply(this.settings);
        int consumers = limits.consumerThreads();
        for (int i = 0; i < consumers; i++) {
            boolean helper = i > 0;
            Thread t = daemon(() -> consume(pipeline, limits, helper), pipeline.spec().threadPrefix() + (i + 1));
            this.threads.add(t);
            // counted before the thread runs, so that status() is right as soon as
            // start() returns
            pipeline.stats().consumersActive.incrementAndGet();
            t.start();
        }
        return consumers;
    }

    private static Thread daemon(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.setContextClassLoader(null);
        return t;
    }

    boolean isStopping() {
        return this.stopping;
    }

    /**
     * Stops the threads: consumers finish the request in flight, hand unfinished work
     * back and exit.
     * @param deadlineNanos when to stop waiting politely and interrupt
     */
    void stop(long deadlineNanos) {
        synchronized (this) {
            this.stopping = true;
        }
        this.stopLatch.countDown();
        this.parts.dispatcher().signalWork();
        for (DeliveryParts other : this.others) {
            other.dispatcher().signalWork();
        }
        try {
            for (Thread t : this.threads) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(t, remaining);
                }
            }
            for (Thread t : this.threads) {
                if (t.isAlive()) {
                    log.warn("PostHog consumer " + t.getName() + " did not finish its request within the shutdown "
                            + "timeout; interrupting it (its batch stays queued and may be sent twice)");
                    t.interrupt();
                    t.join(TimeUnit.SECONDS.toMillis(1));
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            for (Thread t : this.threads) {
                t.interrupt();
            }
        }
        finally {
            if (this.flagPoller != null) {
                this.flagPoller.stop(deadlineNanos);
            }
            if (this.transport != null) {
                this.transport.close();
            }
        }
    }

    /**
     * @return the definitions poller of this run, or null when local evaluation is off
     */
    @Nullable FlagPoller flagPoller() {
        return this.flagPoller;
    }

    /**
     * Loads {@link PackedEvents} (it reads the G1 region size) on a consumer's thread
     * before it packs, never under the locks that packing holds.
     * @return whether packing is available
     */
    private static boolean packingAvailable() {
        try {
            return PackedEvents.ENABLED;
        }
        catch (LinkageError ex) {
            log.warn("PostHog consumers do not pack queued events: " + ex);
            return false;
        }
    }

    private void consume(DeliveryParts pipeline, PipelineLimits limits, boolean helper) {
        Stats stats = pipeline.stats();
        Dispatcher dispatcher = pipeline.dispatcher();
        BatchSender sender = pipeline.sender(this.settings, java.util.Objects.requireNonNull(this.transport));
        Waiter waiter = new Waiter() {
            @Override
            public boolean stopped() {
                return DeliveryEngine.this.stopping;
            }

            @Override
            public boolean sleep(long millis) {
                try {
                    return !DeliveryEngine.this.stopLatch.await(millis, TimeUnit.MILLISECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        };
        boolean packs = helper && sender.packs() && packingAvailable();
        try {
            while (!this.stopping) {
                Dispatcher.Turn turn = dispatcher.awaitWork(this::isStopping, helper, packs);
                if (turn == Dispatcher.Turn.STOP) {
                    break;
                }
                if (turn == Dispatcher.Turn.PACK) {
                    int packed;
                    try {
                        packed = dispatcher.pack(sender::packable);
                    }
                    catch (RuntimeException | OutOfMemoryError ex) {
                        // a run could not be allocated: nothing was lost, the events stay
                        // whole
                        log.warn("PostHog consumer could not pack queued events: " + ex);
                        packed = 0;
                    }
                    catch (LinkageError ex) {
                        log.warn("PostHog consumer stops packing queued events: " + ex);
                        packs = false;
                        packed = 0;
                    }
                    // nothing packed (taken meanwhile, or no memory): look again later
                    if (packed == 0 && !waiter.sleep(TimeUnit.NANOSECONDS.toMillis(Dispatcher.PACK_CHECK_NANOS))) {
                        break;
                    }
                    continue;
                }
                boolean probe = pipeline.backoff().isActive();
                Batch batch;
                try {
                    batch = dispatcher.take();
                }
                catch (RuntimeException ex) {
                    // e.g. a spool read failed: nothing was taken; pause, then try again
                    log.error("PostHog consumer could not take the next batch; retrying", ex);
                    if (!waiter.sleep(limits.retryInitialBackoff().toMillis())) {
                        break;
                    }
                    continue;
                }
                if (batch == null) {
                    continue;
                }
                List<Batch> left;
                try {
                    left = sender.deliver(batch, waiter, probe);
                }
                catch (RuntimeException | LinkageError ex) {
                    log.error("PostHog consumer failed on a batch of " + batch.size() + " events; they stay queued",
                            ex);
                    left = List.of(batch);
                    waiter.sleep(limits.retryInitialBackoff().toMillis());
                }
                pipeline.handBack(left);
                pipeline.drops().reportQueueFull(limits.flushInterval().toNanos(), limits.maxQueueSize(), false);
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
            }
        }
        catch (InterruptedException ex) {
            // stop() interrupted us after the shutdown timeout
        }
        finally {
            stats.consumersActive.decrementAndGet();
        }
    }

}
