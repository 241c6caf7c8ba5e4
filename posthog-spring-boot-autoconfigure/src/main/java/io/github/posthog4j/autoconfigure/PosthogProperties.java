package io.github.posthog4j.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of the PostHog client, prefix {@code posthog}.
 *
 * <p>
 * The properties are bound again from the {@code Environment} every time the delivery
 * engine starts (on {@code ApplicationReadyEvent}, a later context refresh, a Spring
 * Cloud {@code EnvironmentChangeEvent} for a {@code posthog.*} key, or
 * {@code context.start()}), so placeholders such as {@code ${local.server.port}} resolve
 * to their final value. {@link #toString()} never shows a key.
 */
@ConfigurationProperties("posthog")
public class PosthogProperties {

    /**
     * Enable or disable the PostHog client. Unset: enabled when an API key is set.
     * {@code true} without a key fails start-up; {@code false} provides a no-op client.
     */
    private Boolean enabled;

    /**
     * Authenticate events with this project API key ({@code phc_...}). Sanitised by the
     * actuator endpoints and never logged.
     */
    private String apiKey;

    /**
     * Send events to this PostHog host (or reverse proxy), e.g.
     * {@code https://eu.i.posthog.com}.
     */
    private String host = "https://us.i.posthog.com";

    /**
     * Send a request once this many events are queued, without waiting for the flush
     * interval.
     */
    private int flushAt = 100;

    /**
     * Send queued events after they waited at most this long.
     */
    private Duration flushInterval = Duration.ofSeconds(5);

    /**
     * Maximum number of events in one request; when more than flush-at events are queued
     * (a burst or a backlog), a request takes up to this many. Values below flush-at mean
     * flush-at.
     */
    private int maxBatchSize = 1000;

    /**
     * Keep at most this many events in the in-memory queue; captures into a full queue
     * are dropped and counted.
     */
    private int maxQueueSize = 10_000;

    /**
     * Split batches whose request body (before compression) would exceed this size.
     */
    private DataSize maxBatchBytes = DataSize.ofBytes(5L * 1024 * 1024);

    /**
     * Drop events whose serialised form exceeds this size.
     */
    private DataSize maxEventBytes = DataSize.ofBytes(900L * 1024);

    /**
     * Run this many consumer threads (1 to 16).
     */
    private int consumerThreads = 1;

    /**
     * Retry a batch this many times after a retryable failure (408, 429, 5xx, I/O
     * errors).
     */
    private int maxRetries = 3;

    /**
     * Wait this long before the first retry; the backoff doubles per retry, with jitter.
     */
    private Duration retryInitialBackoff = Duration.ofMillis(500);

    /**
     * Cap retry backoffs, Retry-After waits and outage probe intervals at this duration.
     */
    private Duration retryMaxBackoff = Duration.ofSeconds(30);

    /**
     * Give up connecting to PostHog after this long.
     */
    private Duration connectTimeout = Duration.ofSeconds(5);

    /**
     * Give up on one request (response included) after this long.
     */
    private Duration requestTimeout = Duration.ofSeconds(10);

    /**
     * Gzip request bodies.
     */
    private boolean compression = true;

    /**
     * Bound the time the client takes to stop its consumers and to deliver what is left
     * on context close.
     */
    private Duration shutdownTimeout = Duration.ofSeconds(10);

    /**
     * Bound the time {@code PosthogClient.flush()} waits.
     */
    private Duration flushTimeout = Duration.ofSeconds(30);

    /**
     * Add these properties to every event (an event's own property of the same name
     * wins).
     */
    private Map<String, String> superProperties = new LinkedHashMap<>();

    /**
     * Ask PostHog not to enrich events with GeoIP data.
     */
    private boolean disableGeoip;

    /**
     * Mark batches as a historical migration (imports of old data).
     */
    private boolean historicalMigration;

    private final Health health = new Health();

    private final FeatureFlags featureFlags = new FeatureFlags();

    private final Spool spool = new Spool();

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public String getApiKey() {
        return apiKey;
    }

    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getFlushAt() {
        return flushAt;
    }

    public void setFlushAt(int flushAt) {
        this.flushAt = flushAt;
    }

    public int getMaxBatchSize() {
        return maxBatchSize;
    }

    public void setMaxBatchSize(int maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
    }

    public Duration getFlushInterval() {
        return flushInterval;
    }

    public void setFlushInterval(Duration flushInterval) {
        this.flushInterval = flushInterval;
    }

    public int getMaxQueueSize() {
        return maxQueueSize;
    }

    public void setMaxQueueSize(int maxQueueSize) {
        this.maxQueueSize = maxQueueSize;
    }

    public DataSize getMaxBatchBytes() {
        return maxBatchBytes;
    }

    public void setMaxBatchBytes(DataSize maxBatchBytes) {
        this.maxBatchBytes = maxBatchBytes;
    }

    public DataSize getMaxEventBytes() {
        return maxEventBytes;
    }

    public void setMaxEventBytes(DataSize maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
    }

    public int getConsumerThreads() {
        return consumerThreads;
    }

    public void setConsumerThreads(int consumerThreads) {
        this.consumerThreads = consumerThreads;
    }

    public int getMaxRetries() {
        return maxRetries;
    }

    public void setMaxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
    }

    public Duration getRetryInitialBackoff() {
        return retryInitialBackoff;
    }

    public void setRetryInitialBackoff(Duration retryInitialBackoff) {
        this.retryInitialBackoff = retryInitialBackoff;
    }

    public Duration getRetryMaxBackoff() {
        return retryMaxBackoff;
    }

    public void setRetryMaxBackoff(Duration retryMaxBackoff) {
        this.retryMaxBackoff = retryMaxBackoff;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public boolean isCompression() {
        return compression;
    }

    public void setCompression(boolean compression) {
        this.compression = compression;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public Duration getFlushTimeout() {
        return flushTimeout;
    }

    public void setFlushTimeout(Duration flushTimeout) {
        this.flushTimeout = flushTimeout;
    }

    public Map<String, String> getSuperProperties() {
        return superProperties;
    }

    public void setSuperProperties(Map<String, String> superProperties) {
        this.superProperties = superProperties;
    }

    public boolean isDisableGeoip() {
        return disableGeoip;
    }

    public void setDisableGeoip(boolean disableGeoip) {
        this.disableGeoip = disableGeoip;
    }

    public boolean isHistoricalMigration() {
        return historicalMigration;
    }

    public void setHistoricalMigration(boolean historicalMigration) {
        this.historicalMigration = historicalMigration;
    }

    public Health getHealth() {
        return health;
    }

    public FeatureFlags getFeatureFlags() {
        return featureFlags;
    }

    public Spool getSpool() {
        return spool;
    }

    @Override
    public String toString() {
        return "PosthogProperties[enabled=" + enabled + ", host=" + host + ", apiKey="
                + ((apiKey == null || apiKey.isEmpty()) ? "none" : "(hidden)") + "]";
    }

    /** Health indicator settings, {@code posthog.health.*}. */
    public static class Health {

        /**
         * Report the {@code posthog} health component DOWN while PostHog is unreachable.
         * Off by default, so that an analytics outage never fails the application's
         * health check.
         */
        private boolean downWhenUnreachable;

        public boolean isDownWhenUnreachable() {
            return downWhenUnreachable;
        }

        public void setDownWhenUnreachable(boolean downWhenUnreachable) {
            this.downWhenUnreachable = downWhenUnreachable;
        }

    }

    /**
     * Feature flag settings, {@code posthog.feature-flags.*} (used by the feature flag
     * support).
     */
    public static class FeatureFlags {

        /**
         * Authenticate local evaluation requests with this personal API key
         * ({@code phx_...}). Sanitised by the actuator endpoints and never logged.
         */
        private String personalApiKey;

        /**
         * Evaluate flags locally from periodically fetched definitions (needs the
         * personal API key).
         */
        private boolean localEvaluation;

        /**
         * Fetch flag definitions for local evaluation at this interval.
         */
        private Duration pollInterval = Duration.ofSeconds(30);

        /**
         * Give up on one flags request after this long.
         */
        private Duration requestTimeout = Duration.ofSeconds(3);

        /**
         * Capture a {@code $feature_flag_called} event when a flag is evaluated.
         */
        private boolean sendFeatureFlagEvents = true;

        /**
         * Maximum time the engine's start waits for the first flag definitions load; zero
         * never waits (flags evaluated before the first load are asked of PostHog).
         */
        private Duration initialLoadWait = Duration.ZERO;

        public Duration getInitialLoadWait() {
            return initialLoadWait;
        }

        public void setInitialLoadWait(Duration initialLoadWait) {
            this.initialLoadWait = initialLoadWait;
        }

        public String getPersonalApiKey() {
            return personalApiKey;
        }

        public void setPersonalApiKey(String personalApiKey) {
            this.personalApiKey = personalApiKey;
        }

        public boolean isLocalEvaluation() {
            return localEvaluation;
        }

        public void setLocalEvaluation(boolean localEvaluation) {
            this.localEvaluation = localEvaluation;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public Duration getRequestTimeout() {
            return requestTimeout;
        }

        public void setRequestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
        }

        public boolean isSendFeatureFlagEvents() {
            return sendFeatureFlagEvents;
        }

        public void setSendFeatureFlagEvents(boolean sendFeatureFlagEvents) {
            this.sendFeatureFlagEvents = sendFeatureFlagEvents;
        }

        @Override
        public String toString() {
            return "FeatureFlags[localEvaluation=" + localEvaluation + ", personalApiKey="
                    + ((personalApiKey == null || personalApiKey.isEmpty()) ? "none" : "(hidden)") + "]";
        }

    }

    /**
     * Durable spool settings, {@code posthog.spool.*}: captured events survive a crash or
     * a restart.
     */
    public static class Spool {

        /**
         * Whether to write captured events to a write-ahead log on disk and delete them
         * only once PostHog has acknowledged them (at least once after a crash; uuids
         * unchanged, so PostHog deduplicates).
         */
        private boolean enabled;

        /**
         * Directory of the spool; one process per directory (it is locked). Required when
         * the spool is enabled.
         */
        private Path directory;

        /**
         * Maximum disk space the spool may use; when it is full, new events are dropped
         * and counted.
         */
        private DataSize maxBytes = DataSize.ofMegabytes(256);

        /**
         * Group-commit window: how often appended events are forced to disk. An event is
         * crash-safe at most about this long after capture.
         */
        private Duration syncInterval = Duration.ofMillis(100);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Path getDirectory() {
            return directory;
        }

        public void setDirectory(Path directory) {
            this.directory = directory;
        }

        public DataSize getMaxBytes() {
            return maxBytes;
        }

        public void setMaxBytes(DataSize maxBytes) {
            this.maxBytes = maxBytes;
        }

        public Duration getSyncInterval() {
            return syncInterval;
        }

        public void setSyncInterval(Duration syncInterval) {
            this.syncInterval = syncInterval;
        }

    }

}
