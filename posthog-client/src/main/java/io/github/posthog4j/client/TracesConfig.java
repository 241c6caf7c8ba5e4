package io.github.posthog4j.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings of the traces pipeline. Tracing is off until a config is given to
 * {@link PosthogClientBuilder#traces(TracesConfig)} (spans are no-ops until then);
 * {@code TracesConfig.defaults()} turns it on with the defaults. Immutable.
 *
 * <p>
 * The defaults: finished spans wait at most {@value #DEFAULT_FLUSH_INTERVAL_SECONDS}
 * seconds, or go as soon as {@value #DEFAULT_MAX_EXPORT_BATCH_SIZE} are queued (the
 * export batch size is also the depth trigger, as in OpenTelemetry's batch processor), at
 * most that many per request (and about 1.5 MiB of JSON, under PostHog's 2 MB body
 * limit); the queue holds {@value #DEFAULT_MAX_QUEUE_SIZE} spans and refuses new ones
 * when full (queued spans are never evicted: their children may be sent already); at most
 * {@value #DEFAULT_MAX_LIVE_SPANS} spans may be live (started, not ended) at once, none
 * longer than an hour; 128 attributes and 128 events per span, as OpenTelemetry.
 */
public final class TracesConfig {

    static final int DEFAULT_FLUSH_INTERVAL_SECONDS = 5;

    /** Default of {@link Builder#flushInterval(Duration)}. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(DEFAULT_FLUSH_INTERVAL_SECONDS);

    /** Default of {@link Builder#maxQueueSize(int)}. */
    public static final int DEFAULT_MAX_QUEUE_SIZE = 2048;

    /** Default of {@link Builder#maxExportBatchSize(int)}. */
    public static final int DEFAULT_MAX_EXPORT_BATCH_SIZE = 512;

    /** Default of {@link Builder#maxLiveSpans(int)}. */
    public static final int DEFAULT_MAX_LIVE_SPANS = 10_000;

    /** Default of {@link Builder#maxSpanAge(Duration)}. */
    public static final Duration DEFAULT_MAX_SPAN_AGE = Duration.ofHours(1);

    /** Default of {@link Builder#maxAttributesPerSpan(int)}. */
    public static final int DEFAULT_MAX_ATTRIBUTES_PER_SPAN = 128;

    /** Default of {@link Builder#maxEventsPerSpan(int)}. */
    public static final int DEFAULT_MAX_EVENTS_PER_SPAN = 128;

    private static final TracesConfig DEFAULTS = builder().build();

    private final Duration flushInterval;

    private final int maxQueueSize;

    private final int maxExportBatchSize;

    private final int maxLiveSpans;

    private final Duration maxSpanAge;

    private final int maxAttributesPerSpan;

    private final int maxEventsPerSpan;

    private final ServiceResource service;

    private final List<BeforeSpanSendHook> beforeSpanSend;

    private TracesConfig(Builder b) {
        this.flushInterval = b.flushInterval;
        this.maxQueueSize = b.maxQueueSize;
        this.maxExportBatchSize = b.maxExportBatchSize;
        this.maxLiveSpans = b.maxLiveSpans;
        this.maxSpanAge = b.maxSpanAge;
        this.maxAttributesPerSpan = b.maxAttributesPerSpan;
        this.maxEventsPerSpan = b.maxEventsPerSpan;
        this.service = new ServiceResource(b.serviceName, b.serviceVersion, b.environment, b.resourceAttributes);
        this.beforeSpanSend = List.copyOf(b.beforeSpanSend);
    }

    /**
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return tracing on, with the default settings
     */
    public static TracesConfig defaults() {
        return DEFAULTS;
    }

    /**
     * @return the longest wait of a finished span in the queue
     */
    public Duration flushInterval() {
        return this.flushInterval;
    }

    /**
     * @return the queue's capacity
     */
    public int maxQueueSize() {
        return this.maxQueueSize;
    }

    /**
     * @return the most spans per request, and the queue depth that triggers one
     */
    public int maxExportBatchSize() {
        return this.maxExportBatchSize;
    }

    /**
     * @return the most spans live at once
     */
    public int maxLiveSpans() {
        return this.maxLiveSpans;
    }

    /**
     * @return the longest a span may stay live before it is evicted (never sent)
     */
    public Duration maxSpanAge() {
        return this.maxSpanAge;
    }

    /**
     * @return the most attributes set by the application per span
     */
    public int maxAttributesPerSpan() {
        return this.maxAttributesPerSpan;
    }

    /**
     * @return the most events per span
     */
    public int maxEventsPerSpan() {
        return this.maxEventsPerSpan;
    }

    /**
     * @return the service the spans come from (resource attributes)
     */
    public ServiceResource service() {
        return this.service;
    }

    /**
     * @return the before-send hooks of spans, in order
     */
    public List<BeforeSpanSendHook> beforeSpanSend() {
        return this.beforeSpanSend;
    }

    @Override
    public boolean equals(Object o) {
        return (o instanceof TracesConfig other) && this.flushInterval.equals(other.flushInterval)
                && this.maxQueueSize == other.maxQueueSize && this.maxExportBatchSize == other.maxExportBatchSize
                && this.maxLiveSpans == other.maxLiveSpans && this.maxSpanAge.equals(other.maxSpanAge)
                && this.maxAttributesPerSpan == other.maxAttributesPerSpan
                && this.maxEventsPerSpan == other.maxEventsPerSpan && this.service.equals(other.service)
                && this.beforeSpanSend.equals(other.beforeSpanSend);
    }

    @Override
    public int hashCode() {
        return Objects.hash(this.flushInterval, this.maxQueueSize, this.maxExportBatchSize, this.maxLiveSpans,
                this.maxSpanAge, this.maxAttributesPerSpan, this.maxEventsPerSpan, this.service, this.beforeSpanSend);
    }

    @Override
    public String toString() {
        return "TracesConfig[flushInterval=" + this.flushInterval + ", maxQueueSize=" + this.maxQueueSize
                + ", maxExportBatchSize=" + this.maxExportBatchSize + ", maxLiveSpans=" + this.maxLiveSpans
                + ", maxSpanAge=" + this.maxSpanAge + ", " + this.service + "]";
    }

    /** Builds {@link TracesConfig}. Not thread-safe. */
    public static final class Builder {

        private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;

        private int maxQueueSize = DEFAULT_MAX_QUEUE_SIZE;

        private int maxExportBatchSize = DEFAULT_MAX_EXPORT_BATCH_SIZE;

        private int maxLiveSpans = DEFAULT_MAX_LIVE_SPANS;

        private Duration maxSpanAge = DEFAULT_MAX_SPAN_AGE;

        private int maxAttributesPerSpan = DEFAULT_MAX_ATTRIBUTES_PER_SPAN;

        private int maxEventsPerSpan = DEFAULT_MAX_EVENTS_PER_SPAN;

        private @Nullable String serviceName;

        private @Nullable String serviceVersion;

        private @Nullable String environment;

        private final Map<String, @Nullable Object> resourceAttributes = new LinkedHashMap<>();

        private final List<BeforeSpanSendHook> beforeSpanSend = new ArrayList<>();

        private Builder() {
        }

        /**
         * Sets the longest time a finished span waits before it is sent.
         * @param flushInterval a positive duration
         * @return this builder
         */
        public Builder flushInterval(Duration flushInterval) {
            this.flushInterval = flushInterval;
            return this;
        }

        /**
         * Sets the capacity of the span queue; when it is full, a span that ends is
         * dropped ({@link DropReason#QUEUE_FULL}).
         * @param maxQueueSize at least 1
         * @return this builder
         */
        public Builder maxQueueSize(int maxQueueSize) {
            this.maxQueueSize = maxQueueSize;
            return this;
        }

        /**
         * Sets the most spans per request; as many queued spans also trigger a request.
         * @param maxExportBatchSize at least 1
         * @return this builder
         */
        public Builder maxExportBatchSize(int maxExportBatchSize) {
            this.maxExportBatchSize = maxExportBatchSize;
            return this;
        }

        /**
         * Sets how many spans may be live (started, not ended) at once; beyond it
         * {@code startSpan} hands out no-op spans ({@link DropReason#SPAN_LIMIT}).
         * @param maxLiveSpans at least 1
         * @return this builder
         */
        public Builder maxLiveSpans(int maxLiveSpans) {
            this.maxLiveSpans = maxLiveSpans;
            return this;
        }

        /**
         * Sets how long a span may stay live: an older one is evicted (never sent,
         * {@link DropReason#SPAN_LIMIT}), so that leaked spans cannot turn tracing off
         * for good. Measured on the monotonic clock from the span's creation.
         * @param maxSpanAge a positive duration
         * @return this builder
         */
        public Builder maxSpanAge(Duration maxSpanAge) {
            this.maxSpanAge = maxSpanAge;
            return this;
        }

        /**
         * Sets the most attributes the application sets per span (the client's
         * {@code posthogDistinctId} and {@code sessionId} do not count); the first ones
         * set win, the rest are counted in {@code droppedAttributesCount}.
         * @param max at least 0
         * @return this builder
         */
        public Builder maxAttributesPerSpan(int max) {
            this.maxAttributesPerSpan = max;
            return this;
        }

        /**
         * Sets the most events per span; the first ones win, the rest are counted in
         * {@code droppedEventsCount}.
         * @param max at least 0
         * @return this builder
         */
        public Builder maxEventsPerSpan(int max) {
            this.maxEventsPerSpan = max;
            return this;
        }

        /**
         * Sets the resource attribute {@code service.name} (default
         * {@code unknown_service}).
         * @param serviceName the service name, or null
         * @return this builder
         */
        public Builder serviceName(@Nullable String serviceName) {
            this.serviceName = serviceName;
            return this;
        }

        /**
         * Sets the resource attribute {@code service.version}.
         * @param serviceVersion the version, or null
         * @return this builder
         */
        public Builder serviceVersion(@Nullable String serviceVersion) {
            this.serviceVersion = serviceVersion;
            return this;
        }

        /**
         * Sets the resource attribute {@code deployment.environment}.
         * @param environment the environment, or null
         * @return this builder
         */
        public Builder environment(@Nullable String environment) {
            this.environment = environment;
            return this;
        }

        /**
         * Adds resource attributes (the client's identity keys, {@code service.*} and
         * {@code telemetry.sdk.*}, cannot be replaced this way).
         * @param attributes the attributes (copied); null is ignored
         * @return this builder
         */
        public Builder resourceAttributes(@Nullable Map<String, ?> attributes) {
            if (attributes != null) {
                attributes.forEach((k, v) -> {
                    if (k != null) {
                        this.resourceAttributes.put(k, v);
                    }
                });
            }
            return this;
        }

        /**
         * Adds a before-send hook of spans (see {@link BeforeSpanSendHook}).
         * @param hook the hook
         * @return this builder
         */
        public Builder beforeSpanSend(BeforeSpanSendHook hook) {
            this.beforeSpanSend.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * @return the settings
         * @throws PosthogConfigurationException naming the setting at fault
         */
        public TracesConfig build() {
            ServiceResource.positive("traces.flushInterval", this.flushInterval);
            ServiceResource.atLeastOne("traces.maxQueueSize", this.maxQueueSize);
            ServiceResource.atLeastOne("traces.maxExportBatchSize", this.maxExportBatchSize);
            ServiceResource.atLeastOne("traces.maxLiveSpans", this.maxLiveSpans);
            ServiceResource.positive("traces.maxSpanAge", this.maxSpanAge);
            if (this.maxAttributesPerSpan < 0) {
                throw new PosthogConfigurationException("traces.maxAttributesPerSpan",
                        "traces.maxAttributesPerSpan is " + this.maxAttributesPerSpan + ": it must be 0 or more.");
            }
            if (this.maxEventsPerSpan < 0) {
                throw new PosthogConfigurationException("traces.maxEventsPerSpan",
                        "traces.maxEventsPerSpan is " + this.maxEventsPerSpan + ": it must be 0 or more.");
            }
            return new TracesConfig(this);
        }

    }

}
