package io.github.posthog4j.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One {@code $exception} event for PostHog error tracking: the exception (or a message
 * when there is no {@link Throwable}), who it happened to, properties, and the
 * capture-boundary metadata that integrations set. Create with
 * {@link #builder(Throwable)} and pass to
 * {@link PosthogClient#captureException(ExceptionOptions)}; instances are immutable.
 *
 * <pre>{@code
 * posthog.captureException(ExceptionOptions.builder(ex)
 *         .property("order", orderId)
 *         .build());
 * }</pre>
 *
 * <p>
 * The metadata setters ({@link Builder#level(String) level},
 * {@link Builder#mechanismType(String) mechanismType}, {@link Builder#handled(boolean)
 * handled}, {@link Builder#exceptionSource(String) exceptionSource}, ...) are typed
 * overrides of the defaults of a manual capture (level {@code error}, mechanism
 * {@code generic}, handled, no source). A value that is not valid (an unknown level, an
 * empty type) is ignored and the default used, as PostHog's exception metadata
 * specification asks. Reserved properties ({@code $exception_list},
 * {@code $exception_level}, {@code $exception_source}, {@code $exception_type},
 * {@code $exception_message}, {@code $debug_images} and the properties PostHog derives
 * itself) cannot be set through {@link Builder#property(String, Object) properties}.
 */
public final class ExceptionOptions {

    private final @Nullable Throwable exception;

    private final @Nullable String message;

    private final @Nullable String distinctId;

    private final Map<String, @Nullable Object> properties;

    private final Map<String, @Nullable Object> mechanism;

    private final @Nullable String level;

    private final @Nullable String exceptionSource;

    private final @Nullable String fingerprint;

    private ExceptionOptions(Builder b) {
        this.exception = b.exception;
        this.message = b.message;
        this.distinctId = b.distinctId;
        this.properties = freeze(b.properties);
        this.mechanism = freeze(b.mechanism);
        this.level = b.level;
        this.exceptionSource = b.exceptionSource;
        this.fingerprint = b.fingerprint;
    }

    private static Map<String, @Nullable Object> freeze(@Nullable Map<String, @Nullable Object> map) {
        return (map == null || map.isEmpty()) ? Collections.emptyMap() : Collections.unmodifiableMap(map);
    }

    /**
     * Starts an event for an exception: its type, message, stack trace, causes and
     * suppressed exceptions are sent as PostHog's {@code $exception_list}.
     * @param exception the exception; null makes the capture a no-op (counted as
     * {@link DropReason#INVALID})
     * @return a builder
     */
    public static Builder builder(@Nullable Throwable exception) {
        return new Builder(exception, null);
    }

    /**
     * Starts an event for a failure that has no {@link Throwable} (an error code from
     * another system, a broken invariant): sent as an exception of type {@code Error}
     * with this message and the stack of the call to
     * {@link PosthogClient#captureException(ExceptionOptions)}, marked as synthetic.
     * @param message the message
     * @return a builder
     */
    public static Builder message(String message) {
        return new Builder(null, (message != null) ? message : "");
    }

    /**
     * @return the exception, or null for a {@link #message(String) message} event (or
     * none given)
     */
    public @Nullable Throwable exception() {
        return this.exception;
    }

    /**
     * @return the message of a {@link #message(String) message} event, or null
     */
    public @Nullable String message() {
        return this.message;
    }

    /**
     * @return the distinct id, or null for the current {@link PosthogContext}'s (or a
     * personless event)
     */
    public @Nullable String distinctId() {
        return this.distinctId;
    }

    /**
     * @return the event properties, unmodifiable
     */
    public Map<String, @Nullable Object> properties() {
        return this.properties;
    }

    /**
     * @return the mechanism fields given for the outermost exception ({@code type},
     * {@code handled}, {@code synthetic} and platform fields), unmodifiable and not yet
     * validated
     */
    public Map<String, @Nullable Object> mechanism() {
        return this.mechanism;
    }

    /**
     * @return the level given, not yet normalised, or null
     */
    public @Nullable String level() {
        return this.level;
    }

    /**
     * @return the capturing integration ({@code $exception_source}), or null
     */
    public @Nullable String exceptionSource() {
        return this.exceptionSource;
    }

    /**
     * @return the custom fingerprint ({@code $exception_fingerprint}), or null
     */
    public @Nullable String fingerprint() {
        return this.fingerprint;
    }

    @Override
    public String toString() {
        return "ExceptionOptions[" + ((this.exception != null) ? this.exception.getClass().getName() : "message")
                + ", properties=" + this.properties.size() + "]";
    }

    /** Builds {@link ExceptionOptions}. Not thread-safe. */
    public static final class Builder {

        private final @Nullable Throwable exception;

        private final @Nullable String message;

        private @Nullable String distinctId;

        private @Nullable Map<String, @Nullable Object> properties;

        private @Nullable Map<String, @Nullable Object> mechanism;

        private @Nullable String level;

        private @Nullable String exceptionSource;

        private @Nullable String fingerprint;

        private Builder(@Nullable Throwable exception, @Nullable String message) {
            this.exception = exception;
            this.message = message;
        }

        /**
         * Sets whom the exception happened to.
         * @param distinctId the distinct id; null or blank for the current
         * {@link PosthogContext}'s, or a personless event without one
         * @return this builder
         */
        public Builder distinctId(@Nullable String distinctId) {
            this.distinctId = distinctId;
            return this;
        }

        /**
         * Adds one property.
         * @param key the name
         * @param value the value (any Jackson-serialisable value)
         * @return this builder
         */
        public Builder property(String key, @Nullable Object value) {
            if (this.properties == null) {
                this.properties = new LinkedHashMap<>();
            }
            this.properties.put(key, value);
            return this;
        }

        /**
         * Adds properties (copied).
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
         * Sets the severity ({@code $exception_level}). Accepted, in any case:
         * {@code fatal}, {@code critical}, {@code alert}, {@code emergency} (sent as
         * {@code fatal}), {@code error}, {@code warning}, {@code warn} ({@code warning}),
         * {@code log}, {@code info}, {@code notice} ({@code info}), {@code debug},
         * {@code trace} ({@code debug}). Default {@code error}; anything else is ignored.
         * @param level the level
         * @return this builder
         */
        public Builder level(@Nullable String level) {
            this.level = level;
            return this;
        }

        /**
         * Sets how the outermost exception was captured ({@code mechanism.type}), e.g.
         * {@code middleware}, {@code task}, {@code logger}, {@code onuncaughtexception}.
         * Default {@code generic}.
         * @param type a non-empty category
         * @return this builder
         */
        public Builder mechanismType(@Nullable String type) {
            return mechanismField("type", type);
        }

        /**
         * Sets whether the application handled the exception at the capture boundary
         * ({@code mechanism.handled}): false when it escaped (an uncaught exception, a
         * failed request or task). Default true.
         * @param handled whether handled
         * @return this builder
         */
        public Builder handled(boolean handled) {
            return mechanismField("handled", handled);
        }

        /**
         * Sets whether the exception's representation or stack was made up by the
         * capturing code ({@code mechanism.synthetic}). Default: false for a
         * {@link Throwable}, true for a {@link ExceptionOptions#message(String) message}.
         * @param synthetic whether synthetic
         * @return this builder
         */
        public Builder synthetic(boolean synthetic) {
            return mechanismField("synthetic", synthetic);
        }

        /**
         * Adds mechanism fields for the outermost exception: {@code type},
         * {@code handled}, {@code synthetic} as above, and platform fields of JSON values
         * (kept as given). Fields of the wrong type are ignored. {@code exception_id},
         * {@code parent_id} and {@code source} of the outermost exception are the
         * client's.
         * @param fields the fields; null is ignored
         * @return this builder
         */
        public Builder mechanism(@Nullable Map<String, ?> fields) {
            if (fields != null) {
                fields.forEach(this::mechanismField);
            }
            return this;
        }

        /**
         * Names the integration that captured the exception ({@code $exception_source}),
         * a stable lowercase {@code <technology>.<hook>} such as
         * {@code spring.mvc_exception_resolver}. Default: none.
         * @param source the integration
         * @return this builder
         */
        public Builder exceptionSource(@Nullable String source) {
            this.exceptionSource = source;
            return this;
        }

        /**
         * Sets a custom fingerprint ({@code $exception_fingerprint}): PostHog groups
         * exceptions with the same fingerprint into one issue. A non-empty
         * {@code $exception_fingerprint} property works too; this setter wins.
         * @param fingerprint the fingerprint
         * @return this builder
         */
        public Builder fingerprint(@Nullable String fingerprint) {
            this.fingerprint = fingerprint;
            return this;
        }

        private Builder mechanismField(String key, @Nullable Object value) {
            if (this.mechanism == null) {
                this.mechanism = new LinkedHashMap<>();
            }
            this.mechanism.put(key, value);
            return this;
        }

        /**
         * @return the options
         */
        public ExceptionOptions build() {
            return new ExceptionOptions(this);
        }

    }

}
