package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.internal.otlp.OtlpRecord;
import io.github.posthog4j.client.internal.spool.SpoolRecord;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An accepted event waiting for delivery. Immutable but for the cached serialised form
 * and the late flag properties, which only the thread that holds the event (a consumer,
 * the spool writer or an inline drain) touches.
 */
final class QueuedEvent {

    final String uuid;

    final String event;

    final @Nullable String distinctId;

    /**
     * When the event was accepted, for the flush interval; also its timestamp unless
     * {@link #timestamp} is set.
     */
    final long capturedAtMillis;

    /** An explicit timestamp, or null. */
    final @Nullable Instant timestamp;

    /**
     * The event's own properties (a private copy), or null. Replaced once when flags are
     * added late.
     */
    @Nullable Map<String, @Nullable Object> properties;

    /**
     * The super properties when captured (an immutable snapshot); event properties win
     * over them.
     */
    final Map<String, @Nullable Object> superProperties;

    /** Whether to add {@code $process_person_profile=false}. */
    final boolean personless;

    /** Per-event GeoIP override, or null for the client's setting. */
    final @Nullable Boolean disableGeoip;

    /**
     * A capture that asked for {@code sendFeatureFlags} when the flags were not known
     * locally: the delivery side adds {@code $feature/<key>} and
     * {@code $active_feature_flags} before serialising (never the caller's thread).
     */
    @Nullable CaptureOptions flagsFor;

    /**
     * The event's canonical JSON (the capture v0 event, as the spool keeps it), once
     * serialised.
     */
    byte @Nullable [] json;

    /**
     * The event as capture v1 sends it ({@link V1Events}), derived from {@link #json} and
     * kept across attempts; null until a v1 request needs it.
     */
    byte @Nullable [] v1Json;

    /**
     * The heap bytes the event holds while queued, estimated at capture
     * ({@link EventSizeEstimate}); 0 when not estimated (spooled events).
     */
    int estimatedBytes;

    /**
     * A record of the logs or traces pipeline (a log record, a span), serialised by its
     * pipeline's record format; null for analytics and AI events.
     */
    @Nullable OtlpRecord signal;

    /**
     * Where the event sits in the spool (to acknowledge it), or null when it only lives
     * in memory.
     */
    @Nullable SpoolRecord record;

    /** An event read back from the spool: already serialised. */
    static QueuedEvent fromSpool(SpoolRecord record) {
        QueuedEvent e = serialized(record.uuid(), "(spooled)", System.currentTimeMillis(), record.json());
        e.record = record;
        return e;
    }

    /**
     * An event that is already serialised (read back from the spool, or from
     * {@link PackedEvents}): only its uuid, name and JSON are known.
     * @param uuid the uuid
     * @param event the name, for messages
     * @param capturedAtMillis when it was captured (or read)
     * @param json its canonical JSON
     * @return the event
     */
    static QueuedEvent serialized(String uuid, String event, long capturedAtMillis, byte[] json) {
        QueuedEvent e = new QueuedEvent(uuid, event, null, capturedAtMillis, null, null, Collections.emptyMap(), false,
                null);
        e.json = json;
        return e;
    }

    QueuedEvent(String uuid, String event, @Nullable String distinctId, long capturedAtMillis,
            @Nullable Instant timestamp, @Nullable Map<String, @Nullable Object> properties,
            Map<String, @Nullable Object> superProperties, boolean personless, @Nullable Boolean disableGeoip) {
        this.uuid = uuid;
        this.event = event;
        this.distinctId = distinctId;
        this.capturedAtMillis = capturedAtMillis;
        this.timestamp = timestamp;
        this.properties = properties;
        this.superProperties = superProperties;
        this.personless = personless;
        this.disableGeoip = disableGeoip;
    }

    /**
     * @return whether the event lives only in memory (not in the spool)
     */
    boolean inMemoryOnly() {
        return this.record == null;
    }

    @Override
    public String toString() {
        return "QueuedEvent[" + this.event + ", " + this.uuid + "]";
    }

}
