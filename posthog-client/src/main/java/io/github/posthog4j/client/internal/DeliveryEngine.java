package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.internal.flags.FlagPoller;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One run of the delivery threads: created by each start of the client, discarded by its
 * stop. Owns the consumer threads ({@code posthog-consumer-N}) and the HTTP transport;
 * never the queue.
 */
final class DeliveryEngine {

    private static final Log log = Log.CLIENT;

    private final DefaultPosthogClient client;

    private final ClientSettings settings;

    private final int generation;

    private final CountDownLatch stopLatch = new CountDownLatch(1);

    volatile boolean stopping;

    private Thread[] threads;

    private Transport transport;

    private FlagPoller flagPoller;

    DeliveryEngine(DefaultPosthogClient client, ClientSettings settings, int generation) {
        this.client = client;
        this.settings = settings;
        this.generation = generation;
    }

    void start() {
        transport = new HttpTransport(settings, "posthog-http-");
        int consumers = settings.consumerThreads();
        threads = new Thread[consumers + (client.spoolEnabled() ? 1 : 0)];
        for (int i = 0; i < consumers; i++) {
            threads[i] = daemon(this::run, "posthog-consumer-" + (i + 1));
        }
        if (client.spoolEnabled()) {
            threads[consumers] = daemon(this::runSpoolWriter, "posthog-spool");
        }
        for (Thread t : threads) {
            t.start();
        }
        if (settings.flags().pollerEnabled()) {
            flagPoller = new FlagPoller(client.flags, settings);
            flagPoller.start();
        }
        if (log.isDebugEnabled()) {
            log.debug("PostHog delivery engine " + generation + " started with " + threads.length + " consumer(s)");
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.setContextClassLoader(null);
        return t;
    }

    private void runSpoolWriter() {
        try {
            client.spoolWriterLoop(this);
        }
        catch (InterruptedException ex) {
            // stop() gave up waiting
        }
        catch (RuntimeException ex) {
            log.error("PostHog spool writer failed; events stay in memory until the next start", ex);
        }
    }

    /**
     * Stops the consumers: they finish the request in flight, hand unfinished work back
     * and exit.
     * @param deadlineNanos when to stop waiting politely and interrupt
     */
    void stop(long deadlineNanos) {
        stopping = true;
        stopLatch.countDown();
        client.lock.lock();
        try {
            client.work.signalAll();
        }
        finally {
            client.lock.unlock();
        }
        try {
            for (Thread t : threads) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(t, remaining);
                }
            }
            for (Thread t : threads) {
                if (t.isAlive() && t.getName().equals("posthog-spool")) {
                    // Never interrupted: an interrupt closes its file channel. Its last
                    // move is bounded.
                    t.join(TimeUnit.SECONDS.toMillis(30));
                }
                else if (t.isAlive()) {
                    log.warn("PostHog consumer " + t.getName() + " did not finish its request within the shutdown "
                            + "timeout; interrupting it (its batch stays queued and may be sent twice)");
                    t.interrupt();
                    t.join(TimeUnit.SECONDS.toMillis(1));
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            for (Thread t : threads) {
                if (!t.getName().equals("posthog-spool")) {
                    t.interrupt();
                }
            }
        }
        finally {
            if (flagPoller != null) {
                flagPoller.stop(deadlineNanos);
            }
            transport.close();
        }
    }

    /**
     * @return the definitions poller of this run, or null when local evaluation is off
     */
    FlagPoller flagPoller() {
        return flagPoller;
    }

    private void run() {
        client.stats.consumersActive.incrementAndGet();
        BatchSender sender = new BatchSender(client, settings, transport);
        Waiter waiter = new Waiter() {
            @Override
            public boolean stopped() {
                return stopping;
            }

            @Override
            public boolean sleep(long millis) {
                try {
                    return !stopLatch.await(millis, TimeUnit.MILLISECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        };
        try {
            while (!stopping) {
                if (!client.awaitWork(this)) {
                    break;
                }
                boolean probe = client.isBackingOff();
                Batch batch;
                try {
                    batch = client.takeBatch();
                }
                catch (RuntimeException ex) {
                    // e.g. a spool read failed: nothing was taken; pause, then try again
                    log.error("PostHog consumer could not take the next batch; retrying", ex);
                    if (!waiter.sleep(settings.retryInitialBackoff().toMillis())) {
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
                    if (!waiter.sleep(settings.retryInitialBackoff().toMillis())) {
                        client.giveBack(left);
                        break;
                    }
                }
                client.giveBack(left);
                client.reportQueueFull(false);
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
            }
        }
        catch (InterruptedException ex) {
            // stop() interrupted us after the shutdown timeout
        }
        finally {
            client.stats.consumersActive.decrementAndGet();
        }
    }

}
