package io.github.posthog4j.client.internal;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The client's one Jackson mapper, shared by events and feature flags: {@code java.time}
 * values as ISO-8601 strings, a nesting limit that turns a reference cycle into an error.
 * Internal API.
 */
public final class Json {

    private Json() {
    }

    /**
     * @return the shared, thread-safe mapper
     */
    public static ObjectMapper mapper() {
        return EventSerializer.MAPPER;
    }

}
