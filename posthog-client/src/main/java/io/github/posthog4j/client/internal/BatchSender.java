package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.RequestReport;
import io.github.posthog4j.client.RequestReport.Outcome;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Delivers a pipeline's batches: serialises, splits by bytes, sends through the
 * pipeline's {@link WireProtocol}, retries with backoff, resends only what PostHog asks
 * to retry. A transient failure never drops a batch of a pipeline that keeps its batches
 * ({@link PipelineLimits.RetryPolicy#KEEP_AND_PROBE}): once its retries are used, it goes
 * back to the head of the line and the pipeline probes PostHog ({@link OutageBackoff}).
 * Only a permanent rejection (the protocol says so, or a 413 of one event) drops events,
 * or used retries in a pipeline whose policy is to drop. One per delivering thread.
 */
final class BatchSender {

    /** The analytics route of capture v0 (kept for tests and logs). */
    static final String BATCH_PATH = V0BatchProtocol.BATCH_PATH;

    private final PipelineLimits limits;

    private final WireProtocol protocol;

    private final ContentEncoding encoding;

    private final Transport transport;

    private final DeliveryResults results;

    private final OutageBackoff backoff;

    private final RequestObserver requests;

    private final Consumer<QueuedEvent> lateFlags;

    private final String pipeline;

    private final EventSerializer serializer = new EventSerializer();

    private final PipelineSpec.RecordFormat format;

    private final boolean packable;

    BatchSender(PipelineSpec spec, ClientSettings settings, Transport transport, DeliveryResults results,
            OutageBackoff backoff, RequestObserver requests, Consumer<QueuedEvent> lateFlags) {
        this.limits = spec.limits().apply(settings);
        this.protocol = spec.protocol().create(settings, this.serializer);
        this.format = spec.format().create(settings, this.serializer);
        this.encoding = ContentEncoding.of(settings, spec.zstdAllowed().apply(settings));
        this.transport = transport;
        this.results = results;
        this.backoff = backoff;
        this.requests = requests;
        this.lateFlags = lateFlags;
        this.pipeline = spec.name();
        this.packable = spec.format() == PipelineSpec.FormatFactory.EVENTS;
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
        int budget = this.limits.maxBatchBytes() - this.protocol.envelopeOverhead();
        List<Batch> chunks = new ArrayList<>(1);
        List<QueuedEvent> current = new ArrayList<>(batch.size());
        int bytes = 0;
        boolean whole = true;
        for (QueuedEvent e : batch.events) {
            byte[] json = serialized(e);
            if (json == null) {
                whole = false;
                continue;
            }
            if (!current.isEmpty() && bytes + json.length + 1 > budget) {
                chunks.add(new Batch(current, chunks.isEmpty() ? batch.attempts : 0));
                current = new ArrayList<>();
                bytes = 0;
                whole = false;
            }
            current.add(e);
            bytes += json.length + 1;
        }
        if (!current.isEmpty()) {
            if (whole && chunks.isEmpty()) {
                return List.of(batch); // unchanged: keeps its request id and attempts
            }
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
                e.json = this.format.serialize(e);
            }
            catch (EventSerializer.InvalidEventException ex) {
                this.results.dropped(List.of(e), DropReason.INVALID,
                        () -> "Dropped event '" + Texts.abbreviate(e.event) + "' (" + e.uuid + "): " + ex.getMessage());
                return null;
            }
        }
        byte[] json = e.json;
        if (json.length > this.limits.maxEventBytes()) {
            // the name and the size only: never the payload
            this.results.dropped(List.of(e), DropReason.TOO_LARGE,
                    () -> "Dropped event '" + Texts.abbreviate(e.event) + "' (" + e.uuid + "): it is " + json.length
                            + " bytes of JSON, over the limit of " + this.limits.maxEventBytes() + " bytes");
            e.json = null;
            e.v1Json = null;
            return null;
        }
        return json;
    }

    /**
     * @return whether this pipeline's events can be packed ahead of their request
     * ({@link Dispatcher#pack}): analytics and AI events
     */
    boolean packs() {
        return this.packable;
    }

    /**
     * Serialises a queued event ahead of its request, for {@link Dispatcher#pack}.
     * @param e an event that {@link PackedEvents#packable can be packed}
     * @return its JSON, or null to keep it whole: when it is invalid or too large (its
     * request drops it then, with the usual WARN)
     */
    byte @Nullable [] packable(QueuedEvent e) {
        try {
            byte[] json = (e.json != null) ? e.json : this.format.serialize(e);
            return (json.length <= this.limits.maxEventBytes()) ? json : null;
        }
        catch (EventSerializer.InvalidEventException | RuntimeException ex) {
            return null;
        }
    }

    /**
     * Sends one chunk with retries.
     * @return the chunk if it must go back to the head of the line, else null
     */
    private @Nullable Batch send(Batch b, Waiter waiter, boolean probe, Deque<Batch> work) {
        while (true) {
            byte[] body = this.protocol.body(b, this.encoding);
            b.attempts++;
            long start = System.nanoTime();
            Transport.HttpResult result = this.transport.post(this.protocol.path(), body,
                    this.protocol.headers(b, this.encoding), this.protocol.maxResponseBytes());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            int status = result.status();
            if (status == 413 && b.size() > 1) {
                report(b, status, Outcome.REJECTED, body.length, took, "HTTP 413");
                int half = b.size() / 2;
                work.addFirst(new Batch(new ArrayList<>(b.events.subList(half, b.size())), 0));
                work.addFirst(new Batch(new ArrayList<>(b.events.subList(0, half)), 0));
                return null;
            }
            WireProtocol.Verdict verdict = this.protocol.read(result, b);
            String error = verdict.detail();
            switch (verdict.kind()) {
                case SENT -> {
                    report(b, status, Outcome.SUCCESS, body.length, took, error);
                    if (verdict.complete()) {
                        this.results.sent(b.events);
                        return null;
                    }
                    b = partial(b, verdict);
                    if (b == null) {
                        return null;
                    }
                    probe = false; // PostHog answered: no outage
                }
                case REJECTED -> {
                    report(b, status, Outcome.REJECTED, body.length, took, error);
                    this.results.failed(String.valueOf(error));
                    int n = b.size();
                    this.results.dropped(b.events, DropReason.REJECTED, () -> "PostHog rejected a batch of " + n + " "
                            + Pipelines.carries(this.pipeline) + " with " + error + "; they are dropped (not retried)");
                    return null;
                }
                default -> {
                    report(b, status, Outcome.RETRYABLE_ERROR, body.length, took, error);
                    this.results.failed(String.valueOf(error));
                }
            }
            Duration retryAfter = RetryAfter.parse(result.retryAfter(), System.currentTimeMillis());
            if (probe) {
                this.backoff.probeFailed(retryAfter);
                return b;
            }
            if (b.attempts > this.limits.maxRetries()) {
                if (this.limits.retryPolicy() == PipelineLimits.RetryPolicy.DROP) {
                    int n = b.size();
                    int attempts = b.attempts;
                    String last = error;
                    this.results.dropped(b.events, DropReason.RETRIES_EXHAUSTED,
                            () -> "PostHog did not accept a " + "batch of " + n + " " + Pipelines.carries(this.pipeline)
                                    + " after " + attempts + " attempts (last: " + last + "); they are dropped");
                    return null;
                }
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
     * A 2xx that accepted part of the batch: counts the accepted, dropped and limited
     * events.
     * @return the events to send again (same request), or null when none
     */
    private @Nullable Batch partial(Batch b, WireProtocol.Verdict verdict) {
        Set<QueuedEvent> settled = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        settled.addAll(verdict.retry());
        settled.addAll(verdict.dropped());
        settled.addAll(verdict.limited());
        List<QueuedEvent> accepted = new ArrayList<>(b.size());
        for (QueuedEvent e : b.events) {
            if (!settled.contains(e)) {
                accepted.add(e);
            }
        }
        this.results.sent(accepted);
        if (!verdict.dropped().isEmpty()) {
            int n = verdict.dropped().size();
            this.results.dropped(verdict.dropped(), DropReason.REJECTED,
                    () -> "PostHog dropped " + n + " events of a batch (result 'drop'); they are not retried");
        }
        if (!verdict.limited().isEmpty()) {
            int n = verdict.limited().size();
            this.results.dropped(verdict.limited(), DropReason.RATE_LIMITED, () -> "PostHog limited " + n
                    + " events of a batch (result 'limited': quota or ingestion " + "limits); they are not retried");
        }
        return verdict.retry().isEmpty() ? null : b.keep(new ArrayList<>(verdict.retry()));
    }

    /**
     * Exponential backoff with jitter (between half and all of the doubling step),
     * capped, with Retry-After as a floor (itself capped).
     */
    long backoffMillis(int attemptsMade, @Nullable Duration retryAfter) {
        long initial = this.limits.retryInitialBackoff().toMillis();
        long max = this.limits.retryMaxBackoff().toMillis();
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
                bytes, took, (outcome == Outcome.SUCCESS && error == null) ? null : error, this.pipeline));
    }

}
