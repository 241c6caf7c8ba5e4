package io.github.posthog4j.client;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The kind of a span, as OpenTelemetry defines it; sent as its OTLP number.
 */
public enum SpanKind {

    /** Work inside the process (the default); OTLP 1. */
    INTERNAL(1),

    /** Handling a remote request (an HTTP server request); OTLP 2. */
    SERVER(2),

    /** Making a remote request (an HTTP client call, a database query); OTLP 3. */
    CLIENT(3),

    /** Sending a message; OTLP 4. */
    PRODUCER(4),

    /** Receiving a message; OTLP 5. */
    CONSUMER(5);

    private final int otlp;

    SpanKind(int otlp) {
        this.otlp = otlp;
    }

    /**
     * @return the OTLP enum number
     */
    public int otlp() {
        return this.otlp;
    }

    /**
     * @return the name used in APIs and hooks, lower case (e.g. {@code server})
     */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a kind name in any case; an unknown or missing name is {@link #INTERNAL}.
     * @param name the name, e.g. {@code "server"}
     * @return the kind
     */
    public static SpanKind of(@Nullable String name) {
        if (name != null) {
            for (SpanKind k : values()) {
                if (k.name().equalsIgnoreCase(name.strip())) {
                    return k;
                }
            }
        }
        return INTERNAL;
    }

}
