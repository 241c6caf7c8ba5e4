package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.PosthogEvent;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import io.github.posthog4j.client.internal.CapturePipeline.Intake;
import org.jspecify.annotations.Nullable;

/**
 * The last step of a capture: an accepted event handed to its pipeline's intake, on the
 * caller's thread. Memory mode offers it to the queue (bounded by count and heap bytes);
 * spool mode appends it to the spool before its uuid is returned; direct delivery (tests,
 * the compliance adapter) hands it to a consumer. Never blocks, never throws: a refusal
 * is a counted drop.
 */
final class EventHandOff {

    private final BooleanSupplier closed;

    private final BiConsumer<String, String> accepted;

    /**
     * @param closed whether the client is closed
     * @param accepted told of each accepted event (name, uuid), for diagnostics
     */
    EventHandOff(BooleanSupplier closed, BiConsumer<String, String> accepted) {
        this.closed = closed;
        this.accepted = accepted;
    }

    /**
     * Hands an event to its intake.
     * @param queued the event
     * @param target the pipeline's intake
     * @return the event's uuid, or null when it was dropped (counted)
     */
    @Nullable String offer(QueuedEvent queued, Intake target) {
        SpoolPump disk = target.spool();
        if (disk != null) {
            return append(disk, queued, target);
        }
        queued.estimatedBytes = EventSizeEstimate.of(queued.event, queued.distinctId, queued.properties);
        if (!target.queue().offer(queued)) {
            target.drops().queueFull();
            return null;
        }
        target.stats().captured.increment();
        if (this.closed.getAsBoolean() && target.queue().remove(queued)) {
            // close() swept the queue between our check and our offer
            target.drops().counted(DropReason.CLOSED, 1);
            target.stats().completed.increment();
            return null;
        }
        target.dispatcher().queued();
        this.accepted.accept(queued.event, queued.uuid);
        return queued.uuid;
    }

    /**
     * Spool mode: the event is on disk (the page cache) before its uuid is returned;
     * serialised here, on the caller's thread.
     */
    private @Nullable String append(SpoolPump disk, QueuedEvent queued, Intake target) {
        SpoolPump.Outcome outcome = disk.append(queued);
        if (outcome == SpoolPump.Outcome.STORED) {
            target.stats().captured.increment();
            target.dispatcher().queued();
            this.accepted.accept(queued.event, queued.uuid);
            return queued.uuid;
        }
        if (outcome == SpoolPump.Outcome.CLOSED) {
            target.drops()
                .dropped(DropReason.CLOSED, 1,
                        () -> "Dropped event '" + Texts.abbreviate(queued.event) + "': the PostHog client is closed");
        }
        return null;
    }

    /**
     * Direct delivery: the event goes to the consumer at once.
     * @param direct the consumer
     * @param view the event
     * @param target the pipeline's intake (its counters and drops)
     * @return the event's uuid, or null when the consumer threw (counted)
     */
    @Nullable String deliverDirectly(Consumer<PosthogEvent> direct, PosthogEvent view, Intake target) {
        try {
            direct.accept(view);
        }
        catch (RuntimeException ex) {
            target.drops()
                .dropped(DropReason.BEFORE_SEND, 1, () -> "Dropped event '" + Texts.abbreviate(view.event())
                        + "': the direct-delivery consumer threw " + ex.getClass().getName());
            return null;
        }
        target.stats().captured.increment();
        target.stats().sent.increment();
        target.stats().completed.increment();
        return view.uuid();
    }

}
