package io.github.posthog4j.test;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An event as the client would have sent it: after validation, super properties and the
 * before-send hooks ({@code $lib} and {@code $lib_version} aside, which are added on the
 * wire).
 *
 * @param event the event name
 * @param distinctId the distinct id (generated for personless events)
 * @param properties the properties, unmodifiable
 * @param timestamp when the event happened
 * @param uuid the event's UUID, as {@code capture} returned it
 */
public record RecordedEvent(String event, String distinctId, Map<String, Object> properties, Instant timestamp,
        String uuid) {

    /** The name of exception events. */
    public static final String EXCEPTION = "$exception";

    /** Copies the properties. */
    public RecordedEvent {
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /**
     * @param name the property name
     * @return the property's value, or null
     */
    public @Nullable Object property(String name) {
        return properties.get(name);
    }

    /**
     * @return whether this is an {@code $exception} event
     */
    public boolean isException() {
        return EXCEPTION.equals(event);
    }

    /**
     * The exceptions of an {@code $exception} event, caught exception first and root
     * cause last, each with its {@code type}, {@code value} (the message) and
     * {@code mechanism}, as PostHog's error tracking defines {@code $exception_list}.
     * @return the list, empty when the event has none
     */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> exceptionList() {
        Object list = properties.get("$exception_list");
        if (list instanceof List<?> entries) {
            return entries.stream().filter(Map.class::isInstance).map((e) -> (Map<String, Object>) e).toList();
        }
        return List.of();
    }

    @Override
    public String toString() {
        return "'" + event + "' for '" + distinctId + "' " + properties;
    }

}
