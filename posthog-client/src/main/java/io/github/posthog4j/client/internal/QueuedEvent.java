package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.internal.spool.SpoolRecord;
import java.time.Instant;
import java.util.Map;

/**
 * An accepted event waiting for delivery. Immutable but for the cached serialised form,
 * which only the thread that holds the event (a consumer or an inline drain) touches.
 */
final class QueuedEvent {

    final String uuid;

    final String event;

    final String distinctId;

    /**
     * When the event was accepted, for the flush interval; also its timestamp unless
     * {@link #timestamp} is set.
     */
    final long capturedAtMillis;

    /** An explicit timestamp, or null. */
    final Instant timestamp;

    /** The event's own properties (already a private copy), or null. */
    final Map<String, Object> properties;

    /**
     * The super properties when captured (an immutable snapshot); event properties win
     * over them.
     */
    final Map<String, Object> superProperties;

    /** Whether to add {@code $process_person_profile=false}. */
    final boolean personless;

    /** Per-event GeoIP override, or null for the client's setting. */
    final Boolean disableGeoip;

    byte[] json;

    /**
     * Where the event sits in the spool (to acknowledge it), or null when it only lives
     * in memory.
     */
    SpoolRecord record;

    /** An event read back from the spool: already serialised. */
    static QueuedEvent fromSpool(SpoolRecord record) {
        QueuedEvent e = new QueuedEvent(record.uuid(), "(spooled)", null, System.currentTimeMillis(), null, null,
                java.util.Collections.emptyMap(), false, null);
        e.json = record.json();
        e.record = record;
        return e;
    }

    QueuedEvent(String uuid, String event, String distinctId, long capturedAtMillis, Instant timestamp,
            Map<String, Object> properties, Map<String, Object> superProperties, boolean personless,
            Boolean disableGeoip) {
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

    @Override
    public String toString() {
        return "QueuedEvent[" + event + ", " + uuid + "]";
    }

}
