package io.github.posthog4j.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings of the logs pipeline ({@link PosthogClient#captureLog}): batching, the
 * queue, the client-side rate cap, the service the records come from, and the before-send
 * hooks of log records. {@code captureLog} works with the defaults; give a config to
 * {@link PosthogClientBuilder#logs(LogsConfig)} to change them. Immutable.
 *
 * <p>
 * The defaults, chosen for a server process: records are sent every
 * {@value #DEFAULT_FLUSH_INTERVAL_SECONDS} seconds or as soon as
 * {@value #DEFAULT_FLUSH_AT} wait, at most {@value #DEFAULT_MAX_BATCH_SIZE} per request
 * (and about 1.5 MiB of JSON, under PostHog's 2 MB body limit); the queue holds
 * {@value #DEFAULT_MAX_QUEUE_SIZE} records and, when full, drops the oldest; at most
 * {@value #DEFAULT_RATE_CAP_MAX_LOGS} records are accepted per
 * {@value #DEFAULT_RATE_CAP_WINDOW_SECONDS}-second window (a log storm costs the
 * application nothing and PostHog only so much).
 */
public final class LogsConfig {

    static final int DEFAULT_FLUSH_INTERVAL_SECONDS = 5;

    static final int DEFAULT_RATE_CAP_WINDOW_SECONDS = 10;

    /** Default of {@link Builder#flushInterval(Duration)}. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(DEFAULT_FLUSH_INTERVAL_SECONDS);

    /** Default of {@link Builder#flushAt(int)}. */
    public static final int DEFAULT_FLUSH_AT = 100;

    /** Default of {@link Builder#maxQueueSize(int)}. */
    public static final int DEFAULT_MAX_QUEUE_SIZE = 10_000;

    /** Default of {@link Builder#maxBatchSize(int)}. */
    public static final int DEFAULT_MAX_BATCH_SIZE = 500;

    /** Default of {@link Builder#rateCapMaxLogs(int)}. */
    public static final int DEFAULT_RATE_CAP_MAX_LOGS = 10_000;

    /** Default of {@link Builder#rateCapWindow(Duration)}. */
    public static final Duration DEFAULT_RATE_CAP_WINDOW = Duration.ofSeconds(DEFAULT_RATE_CAP_WINDOW_SECONDS);

    private static final LogsConfig DEFAULTS = builder().build();

    private final Duration flushInterval;

    private final int flushAt;

    private final int maxQueueSize;

    private final int maxBatchSize;

    private final int rateCapMaxLogs;

    private final Duration rateCapWindow;

    private final ServiceResource service;

    private final List<BeforeSendLogHook> beforeSend;

    private LogsConfig(Builder b) {
        this.flushInterval = b.flushInterval;
        this.flushAt = b.flushAt;
        this.maxQueueSize = b.maxQueueSize;
        this.maxBatchSize = Math.max(b.flushAt, b.maxBatchSize);
        this.rateCapMaxLogs = b.rateCapMaxLogs;
        this.rateCapWindow = b.rateCapWindow;
        this.service = new ServiceResource(b.serviceName, b.serviceVersion, b.environment, b.resourceAttributes);
        this.beforeSend = List.copyOf(b.beforeSend);
    }

    /**
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the default settings
     */
    public static LogsConfig defaults() {
        return DEFAULTS;
    }

    /**
     * @return the longest wait of a queued record
     */
    public Duration flushInterval() {
        return this.flushInterval;
    }

    /**
     * @return how many queued records trigger a request
     */
    public int flushAt() {
        return this.flushAt;
    }

    /**
     * @return the queue's capacity
     */
    public int maxQueueSize() {
        return this.maxQueueSize;
    }

    /**
     * @return the most records per request
     */
    public int maxBatchSize() {
        return this.maxBatchSize;
    }

    /**
     * @return the most records accepted per rate-cap window (0 or less: no cap)
     */
    public int rateCapMaxLogs() {
        return this.rateCapMaxLogs;
    }

    /**
     * @return the rate-cap window (zero: no cap)
     */
    public Duration rateCapWindow() {
        return this.rateCapWindow;
    }

    /**
     * @return whether the rate cap is on
     */
    public boolean rateCapped() {
        return this.rateCapMaxLogs > 0 && !this.rateCapWindow.isZero() && !this.rateCapWindow.isNegative();
    }

    /**
     * @return the service the records come from (resource attributes)
     */
    public ServiceResource service() {
        return this.service;
    }

    /**
     * @return the before-send hooks of log records, in order
     */
    public List<BeforeSendLogHook> beforeSend() {
        return this.beforeSend;
    }

    @Override
    public boolean equals(Object o) {
        return (o instanceof LogsConfig other) && this.flushInterval.equals(other.flushInterval)
                && this.flushAt == other.flushAt && this.maxQueueSize == other.maxQueueSize
                && this.maxBatchSize == other.maxBatchSize && this.rateCapMaxLogs == other.rateCapMaxLogs
                && this.rateCapWindow.equals(other.rateCapWindow) && this.service.equals(other.service)
                && this.beforeSend.equals(other.beforeSend);
    }

    @Override
    public int hashCode() {
        return Objects.hash(this.flushInterval, this.flushAt, this.maxQueueSize, this.maxBatchSize, this.rateCapMaxLogs,
                this.rateCapWindow, this.service, this.beforeSend);
    }

    @Override
    public String toString() {
        return "LogsConfig[flushInterval=" + this.flushInterval + ", flushAt=" + this.flushAt + ", maxQueueSize="
                + this.maxQueueSize + ", maxBatchSize=" + this.maxBatchSize + ", rateCap=" + this.rateCapMaxLogs + "/"
                + this.rateCapWindow + ", " + this.service + "]";
    }

    /** Builds {@link LogsConfig}. Not thread-safe. */
    public static final class Builder {

        private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;

        private int flushAt = DEFAULT_FLUSH_AT;

        private int maxQueueSize = DEFAULT_MAX_QUEUE_SIZE;

        private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;

        private int rateCapMaxLogs = DEFAULT_RATE_CAP_MAX_LOGS;

        private Duration rateCapWindow = DEFAULT_RATE_CAP_WINDOW;

        private @Nullable String serviceName;

        private @Nullable String serviceVersion;

        private @Nullable String environment;

        private final Map<String, @Nullable Object> resourceAttributes = new LinkedHashMap<>();

        private final List<BeforeSendLogHook> beforeSend = new ArrayList<>();

        private Builder() {
        }

        /**
         * Sets the longest time a record waits in the queue before it is sent (the timer
         * flush: it sends whatever is queued, however few).
         * @param flushInterval a positive duration
         * @return this builder
         */
        public Builder flushInterval(Duration flushInterval) {
            this.flushInterval = flushInterval;
            return this;
        }

        /**
         * Sets how many queued records trigger a request at once.
         * @param flushAt at least 1
         * @return this builder
         */
        public Builder flushAt(int flushAt) {
            this.flushAt = flushAt;
            return this;
        }

        /**
         * Sets the capacity of the logs queue; when it is full, the oldest record is
         * dropped for the new one ({@link DropReason#QUEUE_FULL}).
         * @param maxQueueSize at least 1
         * @return this builder
         */
        public Builder maxQueueSize(int maxQueueSize) {
            this.maxQueueSize = maxQueueSize;
            return this;
        }

        /**
         * Sets the most records sent in one request (raised to {@code flushAt} if lower);
         * requests are also cut at about 1.5 MiB of JSON.
         * @param maxBatchSize at least 1
         * @return this builder
         */
        public Builder maxBatchSize(int maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        /**
         * Sets the client-side rate cap: at most this many records are accepted per
         * {@link #rateCapWindow(Duration) window}; the rest are dropped
         * ({@link DropReason#RATE_LIMITED}, one WARN per window).
         * @param maxLogs the cap; 0 or less turns the cap off
         * @return this builder
         */
        public Builder rateCapMaxLogs(int maxLogs) {
            this.rateCapMaxLogs = maxLogs;
            return this;
        }

        /**
         * Sets the rate cap's tumbling window.
         * @param window the window; zero turns the cap off
         * @return this builder
         */
        public Builder rateCapWindow(Duration window) {
            this.rateCapWindow = window;
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
         * @param serviceVersion the version, or null for none
         * @return this builder
         */
        public Builder serviceVersion(@Nullable String serviceVersion) {
            this.serviceVersion = serviceVersion;
            return this;
        }

        /**
         * Sets the resource attribute {@code deployment.environment}.
         * @param environment the environment (e.g. {@code production}), or null for none
         * @return this builder
         */
        public Builder environment(@Nullable String environment) {
            this.environment = environment;
            return this;
        }

        /**
         * Adds resource attributes. The client's own identity keys ({@code service.*},
         * {@code telemetry.sdk.*}) cannot be replaced this way: set
         * {@link #serviceName(String)} and {@link #serviceVersion(String)} instead.
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
         * Adds a before-send hook of log records (see {@link BeforeSendLogHook}).
         * @param hook the hook
         * @return this builder
         */
        public Builder beforeSend(BeforeSendLogHook hook) {
            this.beforeSend.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * @return the settings
         * @throws PosthogConfigurationException naming the setting at fault
         */
        public LogsConfig build() {
            ServiceResource.positive("logs.flushInterval", this.flushInterval);
            ServiceResource.atLeastOne("logs.flushAt", this.flushAt);
            ServiceResource.atLeastOne("logs.maxQueueSize", this.maxQueueSize);
            ServiceResource.atLeastOne("logs.maxBatchSize", this.maxBatchSize);
            if (this.rateCapWindow == null) {
                throw new PosthogConfigurationException("logs.rateCapWindow",
                        "logs.rateCapWindow is missing: set a duration (zero turns the rate cap off).");
            }
            return new LogsConfig(this);
        }

    }

}
