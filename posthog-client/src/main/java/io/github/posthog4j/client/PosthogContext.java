package io.github.posthog4j.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * The analytics context of the work in progress on this thread (a request, a job): a
 * distinct id, a session id and properties that captures made inside it use when they do
 * not bring their own.
 *
 * <ul>
 * <li>a capture, {@code captureException} or flag call without a distinct id (null or
 * blank) uses the context's; with neither, a capture is personless and a flag call
 * answers as for an unknown flag without any request;</li>
 * <li>the session id is sent as {@code $session_id};</li>
 * <li>the context's properties are added to every event captured inside it; an event's
 * own property of the same name wins, and the context's win over super properties.</li>
 * </ul>
 *
 * <pre>{@code
 * try (PosthogContext.Scope scope = PosthogContext.builder()
 *         .distinctId(user.id())
 *         .sessionId(sessionId)
 *         .property("tenant", tenant)
 *         .open()) {
 *     posthog.capture(null, "report exported");   // distinct id, $session_id and tenant from the context
 * }
 * }</pre>
 *
 * A scope opened inside another inherits the outer context's values (its own win) unless
 * built {@link Builder#fresh() fresh}; closing it restores the outer context. Contexts
 * live in a thread-local ({@link PosthogContextHolder}): work handed to another thread
 * takes the context along with {@link #wrap(Runnable)}, or with Micrometer's
 * context-propagation (the Spring Boot starter registers it). The context is analytics
 * data taken from the caller (for example the {@code X-POSTHOG-DISTINCT-ID} header): it
 * is never evidence of who the caller is. Instances are immutable.
 */
public final class PosthogContext {

    private static final PosthogContext EMPTY = new PosthogContext(null, null, Collections.emptyMap());

    private final @Nullable String distinctId;

    private final @Nullable String sessionId;

    private final Map<String, @Nullable Object> properties;

    /** The properties added to events: {@link #properties} and {@code $session_id}. */
    private final Map<String, @Nullable Object> eventProperties;

    private PosthogContext(@Nullable String distinctId, @Nullable String sessionId,
            Map<String, @Nullable Object> properties) {
        this.distinctId = distinctId;
        this.sessionId = sessionId;
        this.properties = properties;
        if (sessionId == null) {
            this.eventProperties = properties;
        }
        else {
            Map<String, @Nullable Object> withSession = new LinkedHashMap<>(properties);
            withSession.put("$session_id", sessionId);
            this.eventProperties = Collections.unmodifiableMap(withSession);
        }
    }

    /**
     * Starts a context; {@link Builder#open()} makes it current.
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the context of this thread, or null outside any
     */
    public static @Nullable PosthogContext current() {
        return PosthogContextHolder.getContext();
    }

    /**
     * @return the distinct id of this thread's context, or null (no context, or one
     * without a distinct id)
     */
    public static @Nullable String currentDistinctId() {
        PosthogContext context = PosthogContextHolder.getContext();
        return (context != null) ? context.distinctId : null;
    }

    /**
     * Wraps a task so that it runs in the context current now (for executors and threads
     * that do not propagate it themselves, such as virtual threads started by hand).
     * @param task the task
     * @return a task that runs {@code task} in this thread's current context, restoring
     * the runner's own context afterwards
     */
    public static Runnable wrap(Runnable task) {
        PosthogContext captured = current();
        return () -> {
            try (Scope scope = PosthogContextHolder.replace(captured)) {
                task.run();
            }
        };
    }

    /**
     * Like {@link #wrap(Runnable)}, for a task with a result.
     * @param <T> the result type
     * @param task the task
     * @return the wrapped task
     */
    public static <T> Callable<T> wrap(Callable<T> task) {
        PosthogContext captured = current();
        return () -> {
            try (Scope scope = PosthogContextHolder.replace(captured)) {
                return task.call();
            }
        };
    }

    /**
     * Makes exactly this context current (not merged with the current one) until the
     * returned scope is closed.
     * @return the scope; closing it restores the context current before
     */
    public Scope makeCurrent() {
        return PosthogContextHolder.replace(this);
    }

    /**
     * @return the distinct id, or null
     */
    public @Nullable String distinctId() {
        return this.distinctId;
    }

    /**
     * @return the session id (sent as {@code $session_id}), or null
     */
    public @Nullable String sessionId() {
        return this.sessionId;
    }

    /**
     * @return the properties added to events (without {@code $session_id}), unmodifiable
     */
    public Map<String, @Nullable Object> properties() {
        return this.properties;
    }

    /**
     * The properties a capture inside this context adds: {@link #properties()} and, with
     * a session id, {@code $session_id}. Internal API (the capture path reads it).
     * @return the properties, unmodifiable
     */
    public Map<String, @Nullable Object> eventProperties() {
        return this.eventProperties;
    }

    /**
     * @return whether this context adds nothing (no ids, no properties)
     */
    public boolean isEmpty() {
        return this.distinctId == null && this.sessionId == null && this.properties.isEmpty();
    }

    @Override
    public String toString() {
        // Identifiers and properties are user data: not shown.
        return "PosthogContext[distinctId=" + ((this.distinctId != null) ? "(set)" : "none") + ", sessionId="
                + ((this.sessionId != null) ? "(set)" : "none") + ", properties=" + this.properties.keySet() + "]";
    }

    /**
     * An open context: closing it restores the context that was current when it was
     * opened. Close it on the thread that opened it (try-with-resources). Closing twice
     * does nothing.
     */
    public interface Scope extends AutoCloseable {

        /** Restores the previous context. Never throws. */
        @Override
        void close();

    }

    /** Builds a {@link PosthogContext}. Not thread-safe. */
    public static final class Builder {

        private @Nullable String distinctId;

        private @Nullable String sessionId;

        private final Map<String, @Nullable Object> properties = new LinkedHashMap<>();

        private boolean fresh;

        private Builder() {
        }

        /**
         * Sets the distinct id captures use when they have none.
         * @param distinctId the distinct id; null or blank for none (inherited from the
         * outer context when opened inside one)
         * @return this builder
         */
        public Builder distinctId(@Nullable String distinctId) {
            this.distinctId = (distinctId == null || distinctId.isBlank()) ? null : distinctId;
            return this;
        }

        /**
         * Sets the session id, sent as {@code $session_id}.
         * @param sessionId the session id; null or blank for none (inherited when opened
         * inside a context)
         * @return this builder
         */
        public Builder sessionId(@Nullable String sessionId) {
            this.sessionId = (sessionId == null || sessionId.isBlank()) ? null : sessionId;
            return this;
        }

        /**
         * Adds a property to every event captured in the context.
         * @param key the name
         * @param value the value (any Jackson-serialisable value)
         * @return this builder
         */
        public Builder property(String key, @Nullable Object value) {
            if (key != null) {
                this.properties.put(key, value);
            }
            return this;
        }

        /**
         * Adds properties to every event captured in the context (copied).
         * @param values the properties; null is ignored
         * @return this builder
         */
        public Builder properties(@Nullable Map<String, ?> values) {
            if (values != null) {
                values.forEach(this::property);
            }
            return this;
        }

        /**
         * Makes the context start empty instead of inheriting the values of the context
         * current when it is opened.
         * @return this builder
         */
        public Builder fresh() {
            this.fresh = true;
            return this;
        }

        /**
         * @return the context with only this builder's values (not merged with any)
         */
        public PosthogContext build() {
            return of(this.distinctId, this.sessionId, this.properties);
        }

        /**
         * Makes the context current: merged with the current context (its values win)
         * unless {@link #fresh()}.
         * @return the scope; close it to restore the previous context
         */
        public Scope open() {
            PosthogContext outer = this.fresh ? null : current();
            PosthogContext next;
            if (outer == null || outer.isEmpty()) {
                next = build();
            }
            else {
                Map<String, @Nullable Object> merged = new LinkedHashMap<>(outer.properties);
                merged.putAll(this.properties);
                next = of((this.distinctId != null) ? this.distinctId : outer.distinctId,
                        (this.sessionId != null) ? this.sessionId : outer.sessionId, merged);
            }
            return PosthogContextHolder.replace(next);
        }

        /**
         * Runs a task in the context (opened as by {@link #open()}).
         * @param task the task
         */
        public void run(Runnable task) {
            try (Scope scope = open()) {
                task.run();
            }
        }

        /**
         * Calls a task in the context (opened as by {@link #open()}).
         * @param <T> the result type
         * @param task the task
         * @return its result
         * @throws Exception what the task throws
         */
        public <T> T call(Callable<T> task) throws Exception {
            try (Scope scope = open()) {
                return task.call();
            }
        }

        private static PosthogContext of(@Nullable String distinctId, @Nullable String sessionId,
                Map<String, @Nullable Object> properties) {
            if (distinctId == null && sessionId == null && properties.isEmpty()) {
                return EMPTY;
            }
            return new PosthogContext(distinctId, sessionId, properties.isEmpty() ? Collections.emptyMap()
                    : Collections.unmodifiableMap(new LinkedHashMap<>(properties)));
        }

    }

}
