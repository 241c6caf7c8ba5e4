package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.DropReason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Flush and the last drain of close. A flush lets the running engine send everything
 * captured before it, at once, and waits (bounded); with no engine running it delivers on
 * the calling thread. Under a lasting outage a flush returns after the first failed
 * probe: the events stay queued, nothing is thrown. No request of a drain outlives the
 * caller's deadline.
 */
final class FlushCoordinator {

    private static final Log log = Log.CLIENT;

    private final DeliveryParts parts;

    private final BooleanSupplier engineRunning;

    private final BooleanSupplier closed;

    /** One inline drain at a time. */
    private final ReentrantLock inline = new ReentrantLock();

    FlushCoordinator(DeliveryParts parts, BooleanSupplier engineRunning, BooleanSupplier closed) {
        this.parts = parts;
        this.engineRunning = engineRunning;
        this.closed = closed;
    }

    /**
     * @param timeout the longest wait
     * @return events sent while this call waited
     */
    int flush(Duration timeout) {
        Stats stats = this.parts.stats();
        long sentBefore = stats.sent.sum();
        try {
            long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
            long target = stats.captured.sum() + stats.recovered.sum();
            if (stats.completed.sum() < target && this.engineRunning.getAsBoolean()) {
                this.parts.dispatcher().flushRunning(target, deadline, this.engineRunning);
            }
            if (stats.completed.sum() < target && !this.engineRunning.getAsBoolean() && System.nanoTime() < deadline) {
                drainInline(deadline, true);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException ex) {
            log.warn("PostHog flush failed: " + ex);
        }
        return (int) Math.min(Integer.MAX_VALUE, stats.sent.sum() - sentBefore);
    }

    /**
     * Delivers on the calling thread (no engine running) until the queue is empty, a
     * delivery fails, or the deadline passes.
     * @param deadline the deadline ({@link System#nanoTime()})
     * @param stopOnClose whether to stop when the client closes meanwhile (a flush racing
     * close)
     */
    void drainInline(long deadline, boolean stopOnClose) throws InterruptedException {
        if (!this.inline.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return;
        }
        Transport transport = null;
        try {
            ClientSettings s = this.parts.settings().get();
            BatchSender sender = null;
            Waiter waiter = new DeadlineWaiter(deadline, stopOnClose ? this.closed : () -> false);
            while (!waiter.stopped()) {
                Batch b = this.parts.dispatcher().take(true);
                if (b == null) {
                    break;
                }
                if (sender == null) {
                    // No request may outlive the caller's deadline (close's
                    // shutdown-timeout, flush's timeout).
                    Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0));
                    Duration timeout = (left.compareTo(s.requestTimeout()) < 0) ? left : s.requestTimeout();
                    if (timeout.toMillis() < 50) {
                        this.parts.handBack(List.of(b));
                        break;
                    }
                    transport = new HttpTransport(s, "posthog-flush-http-", timeout);
                    sender = this.parts.sender(s, transport);
                }
                List<Batch> left = sender.deliver(b, waiter, this.parts.backoff().isActive());
                if (!left.isEmpty()) {
                    this.parts.handBack(left);
                    break;
                }
            }
        }
        finally {
            if (transport != null) {
                transport.close();
            }
            this.inline.unlock();
        }
    }

    /**
     * Close's last drain: delivers on the calling thread until the deadline, then keeps
     * what is left in the spool (delivered by the next start) or, without a spool, counts
     * it as dropped ({@code closed}) with a WARN.
     * @param deadline the deadline ({@link System#nanoTime()})
     */
    void closeDrain(long deadline) {
        ClientSettings s = this.parts.settings().get();
        try {
            drainInline(deadline, false);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException ex) {
            log.warn("PostHog client failed while draining on close: " + ex);
        }
        Dispatcher.Leftovers left = this.parts.dispatcher().sweep();
        SpoolPump spool = this.parts.spool();
        if (spool != null) {
            keepInSpool(spool, left, s);
        }
        else if (!left.memoryOnly().isEmpty()) {
            int n = left.memoryOnly().size();
            this.parts.drops().counted(DropReason.CLOSED, n);
            this.parts.stats().completed.add(n);
            String kind = Pipelines.carries(this.parts.name());
            log.warn("PostHog client closed with " + n + " " + kind + " undelivered (PostHog unreachable or "
                    + "posthog.shutdown-timeout of " + s.shutdownTimeout() + " too short); last error: "
                    + this.parts.stats().lastError);
        }
    }

    private void keepInSpool(SpoolPump spool, Dispatcher.Leftovers left, ClientSettings s) {
        try {
            int lost = spool.persist(left.memoryOnly());
            if (lost > 0) {
                this.parts.drops().counted(DropReason.CLOSED, lost);
            }
            long kept = spool.onDisk() + left.spooled();
            if (kept > 0) {
                log.warn("PostHog client closed with " + kept + " " + Pipelines.carries(this.parts.name())
                        + " undelivered; they stay in the spool " + spool.directory()
                        + " and are delivered by the next start. Last error: " + this.parts.stats().lastError);
            }
        }
        catch (RuntimeException ex) {
            log.warn("PostHog client could not write its last events to the spool on close: " + ex);
        }
        finally {
            spool.close();
        }
    }

    /** Sleeps, but never past a deadline. */
    private static final class DeadlineWaiter implements Waiter {

        private final long deadline;

        private final BooleanSupplier abandon;

        DeadlineWaiter(long deadline, BooleanSupplier abandon) {
            this.deadline = deadline;
            this.abandon = abandon;
        }

        @Override
        public boolean stopped() {
            return System.nanoTime() >= this.deadline || this.abandon.getAsBoolean();
        }

        @Override
        public boolean sleep(long millis) {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            if (until > this.deadline) {
                return false;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(millis);
                return true;
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

    }

}
