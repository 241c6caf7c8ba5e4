package io.github.posthog4j.client;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A mutable view of an event, as before-send hooks see it. The properties include the
 * event's own properties, the super properties and the properties the client adds
 * ({@code $groups}, {@code $set}, ...), but not {@code $lib}/{@code $lib_version}, which
 * are added when the event is serialised.
 */
public final class PosthogEvent {

    private String event;

    private String distinctId;

    private Map<String, Object> properties;

    private Instant timestamp;

    private String uuid;

    /**
     * Creates an event view.
     * @param event the event name
     * @param distinctId the distinct id
     * @param properties the properties (used as is, not copied)
     * @param timestamp when the event happened
     * @param uuid the event's UUID
     */
    public PosthogEvent(String event, String distinctId, Map<String, Object> properties, Instant timestamp,
            String uuid) {
        this.event = event;
        this.distinctId = distinctId;
        this.properties = (properties != null) ? properties : new LinkedHashMap<>();
        this.timestamp = timestamp;
        this.uuid = uuid;
    }

    /**
     * @return the event name
     */
    public String event() {
        return event;
    }

    /**
     * @param event the new event name
     */
    public void setEvent(String event) {
        this.event = event;
    }

    /**
     * @return the distinct id
     */
    public String distinctId() {
        return distinctId;
    }

    /**
     * @param distinctId the new distinct id
     */
    public void setDistinctId(String distinctId) {
        this.distinctId = distinctId;
    }

    /**
     * @return the properties, mutable
     */
    public Map<String, Object> properties() {
        return properties;
    }

    /**
     * @param properties the new properties (null means none)
     */
    public void setProperties(Map<String, Object> properties) {
        this.properties = (properties != null) ? properties : new LinkedHashMap<>();
    }

    /**
     * @return when the event happened
     */
    public Instant timestamp() {
        return timestamp;
    }

    /**
     * @param timestamp the new timestamp (null means now)
     */
    public void setTimestamp(Instant timestamp) {
        this.timestamp = timestamp;
    }

    /**
     * @return the event's UUID
     */
    public String uuid() {
        return uuid;
    }

    /**
     * @param uuid the new UUID (null means a new one is generated)
     */
    public void setUuid(String uuid) {
        this.uuid = uuid;
    }

    @Override
    public String toString() {
        return "PosthogEvent[event=" + event + ", uuid=" + uuid + ", properties=" + properties.size() + "]";
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PosthogEvent other)) {
            return false;
        }
        return Objects.equals(event, other.event) && Objects.equals(distinctId, other.distinctId)
                && Objects.equals(properties, other.properties) && Objects.equals(timestamp, other.timestamp)
                && Objects.equals(uuid, other.uuid);
    }

    @Override
    public int hashCode() {
        return Objects.hash(event, distinctId, properties, timestamp, uuid);
    }

}
