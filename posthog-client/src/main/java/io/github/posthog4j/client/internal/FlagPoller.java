package io.github.posthog4j.client.internal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One run of the flag definitions poller: the daemon thread {@code posthog-flags} and its
 * HTTP client, created by a {@link DeliveryEngine} start and discarded by its stop. The
 * definitions themselves belong to {@link FeatureFlags} and survive restarts.
 */
final class FlagPoller {

    private static final Log log = Log.CLIENT;

    private final FeatureFlags flags;

    private final ClientSettings settings;

    private final CountDownLatch stopLatch = new CountDownLatch(1);

    private final CountDownLatch firstAttempt = new CountDownLatch(1);

    private volatile boolean stopping;

    private FlagsHttp http;

    private Thread thread;

    FlagPoller(FeatureFlags flags, ClientSettings settings) {
        this.flags = flags;
        this.settings = settings;
    }

    void start() {
        http = new FlagsHttp(settings, "posthog-flags-http-");
        thread = new Thread(this::run, "posthog-flags");
        thread.setDaemon(true);
        thread.setContextClassLoader(null);
        thread.start();
    }

    /** Waits at most {@code wait} for the first load attempt to end. */
    void awaitFirstAttempt(Duration wait) {
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

    boolean isAlive() {
        return thread != null && thread.isAlive();
    }

    void stop(long deadlineNanos) {
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
        }
    }

    private void run() {
        long intervalMillis = settings.flags().pollInterval().toMillis();
        try {
            while (!stopping) {
                try {
                    flags.loadDefinitions(http);
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
