package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.RequestReport;
import io.github.posthog4j.client.RequestReport.Outcome;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Delivers batches: serialises, splits by bytes, POSTs to {@code /batch/}, retries with
 * backoff. A transient failure never drops a batch: once its retries are used, it goes
 * back to the head of the line and the engine probes PostHog ({@link OutageBackoff}).
 * Only a permanent rejection (400, 401, 403, a 413 of one event) drops events. One per
 * delivering thread.
 */
final class BatchSender {

    static final String BATCH_PATH = "/batch/";

    private final ClientSettings settings;

    private final Transport transport;

    private final DeliveryResults results;

    private final OutageBackoff backoff;

    private final RequestObserver requests;

    private final Consumer<QueuedEvent> lateFlags;

    private final EventSerializer serializer = new EventSerializer();

    private final byte[] prefix;

    BatchSender(ClientSettings settings, Transport transport, DeliveryResults results, OutageBackoff backoff,
            RequestObserver requests, Consumer<QueuedEvent> lateFlags) {
        this.settings = settings;
        this.transport = transport;
        this.results = results;
        this.backoff = backoff;
        this.requests = requests;
        this.lateFlags = lateFlags;
        this.prefix = EventSerializer.envelopePrefix(settings.apiKey(), settings.historicalMigration());
    }

    /**
     * Delivers a batch, or as much of it as the waiter allows.
     * @param batch the batch (its events are in flight)
     * @param waiter stop signal and retry sleep
     * @param probe whether this is a probe during an outage: one attempt, a failure keeps
     * the events
     * @return what could not be finished and must go back to the head of the line (empty
     * when all is resolved)
     */
    List<Batch> deliver(Batch batch, Waiter waiter, boolean probe) {
        Deque<Batch> work = new ArrayDeque<>(split(batch));
        List<Batch> leftovers = new ArrayList<>(0);
        while (!work.isEmpty()) {
            Batch next = work.pollFirst();
            if (!leftovers.isEmpty() || waiter.stopped()) {
                leftovers.add(next);
                continue;
            }
            // once the engine backs off (this batch or another used its retries), the
            // rest are probes
            probe |= this.backoff.isActive();
            Batch left;
            try {
                left = send(next, waiter, probe, work);
            }
            catch (RuntimeException ex) {
                // a bug of ours: keep this chunk and the rest (never resolved twice)
                Log.CLIENT.error("PostHog delivery failed on a batch of " + next.size() + " events; they stay queued",
                        ex);
                left = next;
            }
            if (left != null) {
                leftovers.add(left);
            }
        }
        return leftovers;
    }

    /**
     * Serialises what is not serialised yet, drops what cannot be sent, and cuts the rest
     * by byte size.
     */
    private List<Batch> split(Batch batch) {
        int budget = this.settings.maxBatchBytes() - this.prefix.length - EventSerializer.envelopeSuffixLength();
        List<Batch> chunks = new ArrayList<>(1);
        List<QueuedEvent> current = new ArrayList<>(batch.size());
        int bytes = 0;
        for (QueuedEvent e : batch.events) {
            byte[] json = serialized(e);
            if (json == null) {
                continue;
            }
            if (!current.isEmpty() && bytes + json.length + 1 > budget) {
                chunks.add(new Batch(current, chunks.isEmpty() ? batch.attempts : 0));
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(e);
            bytes += json.length + 1;
        }
        if (!current.isEmpty()) {
            chunks.add(new Batch(current, chunks.isEmpty() ? batch.attempts : 0));
        }
        return chunks;
    }

    /**
     * @return the event's JSON, or null when it was dropped (invalid or too large)
     */
    private byte @Nullable [] serialized(QueuedEvent e) {
        if (e.json == null) {
            if (e.flagsFor != null) {
                this.lateFlags.accept(e);
            }
            try {
                e.json = this.serializer.serialize(e, this.settings.disableGeoip());
            }
            catch (EventSerializer.InvalidEventException ex) {
                this.results.dropped(List.of(e), DropReason.INVALID,
                        () -> "Dropped event '" + Texts.abbreviate(e.event) + "' (" + e.uuid + "): " + ex.getMessage());
                return null;
            }
        }
        byte[] json = e.json;
        if (json.length > this.settings.maxEventBytes()) {
            this.results.dropped(List.of(e), DropReason.TOO_LARGE,
                    () -> "Dropped event '" + Texts.abbreviate(e.event) + "' (" + e.uuid + "): it is " + json.length
                            + " bytes of JSON, over the limit of " + this.settings.maxEventBytes() + " bytes");
            e.json = null;
            return null;
        }
        return json;
    }

    /**
     * Sends one chunk with retries.
     * @return the chunk if it must go back to the head of the line, else null
     */
    private @Nullable Batch send(Batch b, Waiter waiter, boolean probe, Deque<Batch> work) {
        while (true) {
            byte[] body = this.serializer.body(this.prefix, b.events, this.settings.compression());
            b.attempts++;
            long start = System.nanoTime();
            Transport.HttpResult result = this.transport.post(BATCH_PATH, body, this.settings.compression());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            int status = result.status();
            if (status >= 200 && status < 300) {
                report(b, status, Outcome.SUCCESS, body.length, took, null);
                this.results.sent(b);
                return null;
            }
            String error = (status == 0) ? String.valueOf(result.error()) : "HTTP " + status;
            if (status == 413 && b.size() > 1) {
                report(b, status, Outcome.REJECTED, body.length, took, error);
                int half = b.size() / 2;
                work.addFirst(new Batch(new ArrayList<>(b.events.subList(half, b.size())), 0));
                work.addFirst(new Batch(new ArrayList<>(b.events.subList(0, half)), 0));
                return null;
            }
            boolean retryable = status == 0 || status == 408 || status == 429 || status >= 500;
            if (!retryable) {
                report(b, status, Outcome.REJECTED, body.length, took, error);
                this.results.failed(error);
                int n = b.size();
                this.results.dropped(b.events, DropReason.REJECTED, () -> "PostHog rejected a batch of " + n
                        + " events with HTTP " + status + "; they are dropped (not retried)");
                return null;
            }
            report(b, status, Outcome.RETRYABLE_ERROR, body.length, took, error);
            this.results.failed(error);
            Duration retryAfter = RetryAfter.parse(result.retryAfter(), System.currentTimeMillis());
            if (probe) {
                this.backoff.probeFailed(retryAfter);
                return b;
            }
            if (b.attempts > this.settings.maxRetries()) {
                // Nothing is dropped for an outage: the batch waits at the head of the
                // line, the engine probes.
                this.backoff.enter(retryAfter, this.results.pending());
                return b;
            }
            if (waiter.stopped()) {
                return b;
            }
            this.results.retrying();
            if (!waiter.sleep(backoffMillis(b.attempts, retryAfter))) {
                return b;
            }
        }
    }

    /**
     * Exponential backoff with jitter (between half and all of the doubling step),
     * capped, with Retry-After as a floor (itself capped).
     */
    long backoffMillis(int attemptsMade, @Nullable Duration retryAfter) {
        long initial = this.settings.retryInitialBackoff().toMillis();
        long max = this.settings.retryMaxBackoff().toMillis();
        long step = initial << Math.min(attemptsMade - 1, 20);
        step = Math.min(Math.max(step, 1), max);
        long jittered = step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
        long floor = (retryAfter != null) ? Math.min(retryAfter.toMillis(), max) : 0;
        return Math.max(jittered, floor);
    }

    private void report(Batch b, int status, Outcome outcome, long bytes, Duration took, @Nullable String error) {
        if (!this.requests.active()) {
            return;
        }
        List<String> uuids = new ArrayList<>(b.size());
        for (QueuedEvent e : b.events) {
            uuids.add(e.uuid);
        }
        this.requests.report(new RequestReport("batch", b.attempts, status, outcome, uuids.size(), List.copyOf(uuids),
                bytes, took, error));
    }

}
