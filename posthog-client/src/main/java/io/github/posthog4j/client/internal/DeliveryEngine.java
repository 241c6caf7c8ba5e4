package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.internal.flags.FlagPoller;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One run of the delivery threads: created by each start of the client, discarded by its
 * stop. Owns the consumer threads ({@code posthog-consumer-N}), the flag poller and the
 * HTTP transport; never the queue or the spool (captures append to the spool themselves).
 */
final class DeliveryEngine {

    private static final Log log = Log.CLIENT;

    private final DeliveryParts parts;

    private final ClientSettings settings;

    private final int generation;

    private final @Nullable FeatureFlagsHandle flags;

    private final CountDownLatch stopLatch = new CountDownLatch(1);

    private volatile boolean stopping;

    private Thread[] threads = new Thread[0];

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

    void start() {
        this.transport = new HttpTransport(this.settings, "posthog-http-");
        int consumers = this.settings.consumerThreads();
        this.threads = new Thread[consumers];
        for (int i = 0; i < consumers; i++) {
            this.threads[i] = daemon(this::consume, "posthog-consumer-" + (i + 1));
        }
        for (Thread t : this.threads) {
            t.start();
        }
        if (this.flags != null && this.settings.flags().pollerEnabled()) {
            this.flagPoller = this.flags.newPoller(this.settings);
            this.flagPoller.start();
        }
        if (log.isDebugEnabled()) {
            log.debug("PostHog delivery engine " + this.generation + " started with " + consumers + " consumer(s)");
        }
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
        this.stopping = true;
        this.stopLatch.countDown();
        this.parts.dispatcher().signalWork();
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

    private void consume() {
        Stats stats = this.parts.stats();
        Dispatcher dispatcher = this.parts.dispatcher();
        stats.consumersActive.incrementAndGet();
        BatchSender sender = this.parts.sender(this.settings, java.util.Objects.requireNonNull(this.transport));
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
        try {
            while (!this.stopping) {
                if (!dispatcher.awaitWork(this::isStopping)) {
                    break;
                }
                boolean probe = this.parts.backoff().isActive();
                Batch batch;
                try {
                    batch = dispatcher.take();
                }
                catch (RuntimeException ex) {
                    // e.g. a spool read failed: nothing was taken; pause, then try again
                    log.error("PostHog consumer could not take the next batch; retrying", ex);
                    if (!waiter.sleep(this.settings.retryInitialBackoff().toMillis())) {
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
                    waiter.sleep(this.settings.retryInitialBackoff().toMillis());
                }
                this.parts.handBack(left);
                this.parts.drops()
                    .reportQueueFull(this.settings.flushInterval().toNanos(), this.settings.maxQueueSize(), false);
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
