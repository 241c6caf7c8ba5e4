package io.github.posthog4j.client.internal.flags;

import io.github.posthog4j.client.internal.ClientSettings;
import io.github.posthog4j.client.internal.Log;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One run of the flag definitions poller: the daemon thread {@code posthog-flags} and its
 * HTTP client (and, with a definitions cache provider, the small pool its calls run on),
 * created by a delivery engine start and discarded by its stop. The definitions
 * themselves belong to the {@link DefinitionsLoader} of {@link FeatureFlags} and survive
 * restarts. Internal API.
 */
public final class FlagPoller {

    private static final Log log = Log.CLIENT;

    private final BiConsumer<FlagsHttp, ExecutorService> load;

    private final ClientSettings settings;

    private final CountDownLatch stopLatch = new CountDownLatch(1);

    private final CountDownLatch firstAttempt = new CountDownLatch(1);

    private volatile boolean stopping;

    private FlagsHttp http;

    private ExecutorService providerPool;

    private Thread thread;

    /**
     * @param flags the flags whose definitions are polled
     * @param settings the settings of this run (poll interval, HTTP timeouts)
     */
    public FlagPoller(FeatureFlags flags, ClientSettings settings) {
        this.load = flags.definitions()::load;
        this.settings = settings;
    }

    /** Starts the thread; its first load begins at once. */
    public void start() {
        http = new FlagsHttp(settings, "posthog-flags-http-");
        if (settings.flags().definitionCacheProvider() != null) {
            providerPool = SharedDefinitions.newPool();
        }
        thread = new Thread(this::run, "posthog-flags");
        thread.setDaemon(true);
        thread.setContextClassLoader(null);
        thread.start();
    }

    /**
     * Waits at most {@code wait} for the first load attempt to end.
     * @param wait the longest wait (zero: none)
     */
    public void awaitFirstAttempt(Duration wait) {
        if (wait.isZero()) {
            return;
        }
        try {
            firstAttempt.await(wait.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @return whether the thread runs
     */
    public boolean isAlive() {
        return thread != null && thread.isAlive();
    }

    /**
     * Ends the thread (interrupting a request that outlives the deadline) and releases
     * the HTTP client.
     * @param deadlineNanos when to stop waiting ({@link System#nanoTime()})
     */
    public void stop(long deadlineNanos) {
        stopping = true;
        stopLatch.countDown();
        try {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining > 0) {
                TimeUnit.NANOSECONDS.timedJoin(thread, remaining);
            }
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(TimeUnit.SECONDS.toMillis(5));
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            thread.interrupt();
        }
        finally {
            http.close();
            if (providerPool != null) {
                providerPool.shutdownNow();
            }
        }
    }

    private void run() {
        long intervalMillis = DefinitionsLoader.tick(settings.flags()).toMillis();
        try {
            while (!stopping) {
                try {
                    load.accept(http, providerPool);
                }
                catch (RuntimeException | LinkageError ex) {
                    log.error("PostHog flag definitions poller failed; retrying at the next interval", ex);
                }
                finally {
                    firstAttempt.countDown();
                }
                if (stopLatch.await(intervalMillis, TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
        }
        catch (InterruptedException ex) {
            // stop() interrupted us
        }
    }

}
