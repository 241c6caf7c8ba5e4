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

/**
 * Delivers batches: serialises, splits by bytes, POSTs to {@code /batch/}, retries. One
 * per delivering thread.
 */
final class BatchSender {

    static final String BATCH_PATH = "/batch/";

    private final DefaultPosthogClient client;

    private final ClientSettings settings;

    private final Transport transport;

    private final EventSerializer serializer = new EventSerializer();

    private final byte[] prefix;

    BatchSender(DefaultPosthogClient client, ClientSettings settings, Transport transport) {
        this.client = client;
        this.settings = settings;
        this.transport = transport;
        this.prefix = EventSerializer.envelopePrefix(settings.apiKey(), settings.historicalMigration());
    }

    /**
     * Delivers a batch, or as much of it as the waiter allows.
     * @param batch the batch (its events are accounted in-flight)
     * @param waiter stop signal and retry sleep
     * @param probe whether this is a probe while PostHog is unreachable: one attempt,
     * failures keep the events
     * @return what could not be finished and must go back to the queue's head (empty when
     * all is resolved)
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
            // once the engine backs off (this batch or another exhausted its retries),
            // the rest are probes
            probe |= client.isBackingOff();
            Batch left;
            try {
                left = send(next, waiter, probe, work);
            }
            catch (RuntimeException ex) {
                // a bug of ours: keep this chunk and the rest (never resolved twice), let
                // the consumer pause
                Log.CLIENT.error("PostHog delivery failed on a batch of " + next.size() + " events; they stay queued",
                        ex);
                left = next;
            }
            if (left != null) {
                leftovers.add(left);
                probe = true; // after a failed probe, hand the rest back untried
            }
        }
        return leftovers;
    }

    /**
     * Serialises what is not yet serialised, drops what cannot be sent, and cuts the rest
     * by byte size.
     */
    private List<Batch> split(Batch batch) {
        int budget = settings.maxBatchBytes() - prefix.length - EventSerializer.envelopeSuffixLength();
        List<Batch> chunks = new ArrayList<>(1);
        List<QueuedEvent> current = new ArrayList<>(batch.size());
        int bytes = 0;
        for (QueuedEvent e : batch.events) {
            if (e.json == null) {
                try {
                    e.json = serializer.serialize(e, settings.disableGeoip());
                }
                catch (EventSerializer.InvalidEventException ex) {
                    client.dropAccepted(List.of(e), DropReason.INVALID,
                            "Dropped event '" + Texts.abbreviate(e.event) + "' (" + e.uuid + "): " + ex.getMessage());
                    continue;
                }
            }
            if (e.json.length > settings.maxEventBytes()) {
                client.dropAccepted(List.of(e), DropReason.TOO_LARGE,
                        "Dropped event '" + Texts.abbreviate(e.event) + "' (" + e.uuid + "): it is " + e.json.length
                                + " bytes of JSON, over the limit of " + settings.maxEventBytes() + " bytes");
                e.json = null;
                continue;
            }
            if (!current.isEmpty() && bytes + e.json.length + 1 > budget) {
                chunks.add(new Batch(current, chunks.isEmpty() ? batch.attempts : 0));
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(e);
            bytes += e.json.length + 1;
        }
        if (!current.isEmpty()) {
            chunks.add(new Batch(current, chunks.isEmpty() ? batch.attempts : 0));
        }
        return chunks;
    }

    /**
     * Sends one chunk with retries.
     * @return the chunk if it must go back to the queue, else null
     */
    private Batch send(Batch b, Waiter waiter, boolean probe, Deque<Batch> work) {
        while (true) {
            byte[] body = serializer.body(prefix, b.events, settings.compression());
            b.attempts++;
            long start = System.nanoTime();
            Transport.HttpResult result = transport.post(BATCH_PATH, body, settings.compression());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            int status = result.status();
            if (status >= 200 && status < 300) {
                reportIfObserved(report(b, status, Outcome.SUCCESS, body.length, took, null));
                client.sent(b);
                return null;
            }
            String error = (status == 0) ? result.error() : "HTTP " + status;
            if (status == 413 && b.size() > 1) {
                reportIfObserved(report(b, status, Outcome.REJECTED, body.length, took, error));
                int half = b.size() / 2;
                work.addFirst(new Batch(new ArrayList<>(b.events.subList(half, b.size())), 0));
                work.addFirst(new Batch(new ArrayList<>(b.events.subList(0, half)), 0));
                return null;
            }
            boolean retryable = status == 0 || status == 408 || status == 429 || status >= 500;
            if (!retryable) {
                reportIfObserved(report(b, status, Outcome.REJECTED, body.length, took, error));
                client.failed(error);
                client.dropAccepted(b.events, DropReason.REJECTED, "PostHog rejected a batch of " + b.size()
                        + " events with HTTP " + status + "; they are dropped (not retried)");
                return null;
            }
            reportIfObserved(report(b, status, Outcome.RETRYABLE_ERROR, body.length, took, error));
            client.failed(error);
            if (probe) {
                client.probeFailed();
                return b;
            }
            if (b.attempts > settings.maxRetries() && client.spoolEnabled()) {
                // With the spool on nothing is dropped for an outage: keep the batch and
                // probe.
                client.enterBackoff();
                return b;
            }
            if (b.attempts > settings.maxRetries()) {
                client.dropAccepted(b.events, DropReason.RETRIES_EXHAUSTED,
                        "Dropped a batch of " + b.size() + " events after " + b.attempts + " attempts; last error: "
                                + error + ". Later events stay queued while the client probes PostHog");
                client.enterBackoff();
                return null;
            }
            if (waiter.stopped()) {
                return b;
            }
            client.stats.retries.increment();
            long delay = backoffMillis(b.attempts, RetryAfter.parse(result.retryAfter(), System.currentTimeMillis()));
            if (!waiter.sleep(delay)) {
                return b;
            }
        }
    }

    /**
     * Exponential backoff with jitter (between half and all of the doubling step),
     * capped, with Retry-After as a floor (itself capped).
     */
    long backoffMillis(int attemptsMade, Duration retryAfter) {
        long initial = settings.retryInitialBackoff().toMillis();
        long max = settings.retryMaxBackoff().toMillis();
        long step = initial << Math.min(attemptsMade - 1, 20);
        step = Math.min(Math.max(step, 1), max);
        long jittered = step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
        long floor = (retryAfter != null) ? Math.min(retryAfter.toMillis(), max) : 0;
        return Math.max(jittered, floor);
    }

    private void reportIfObserved(java.util.function.Supplier<RequestReport> report) {
        if (client.hasListeners()) {
            client.report(report.get());
        }
    }

    private static java.util.function.Supplier<RequestReport> report(Batch b, int status, Outcome outcome, long bytes,
            Duration took, String error) {
        int attempt = b.attempts;
        return () -> {
            List<String> uuids = new ArrayList<>(b.size());
            for (QueuedEvent e : b.events) {
                uuids.add(e.uuid);
            }
            return new RequestReport("batch", attempt, status, outcome, uuids.size(), List.copyOf(uuids), bytes, took,
                    error);
        };
    }

}
