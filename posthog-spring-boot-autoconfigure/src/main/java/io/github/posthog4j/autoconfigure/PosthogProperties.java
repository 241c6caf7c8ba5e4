package io.github.posthog4j.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import io.github.posthog4j.client.CaptureProtocol;
import io.github.posthog4j.client.CompressionEncoding;
import io.github.posthog4j.client.PosthogClientBuilder;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
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
     * Whether the PostHog client is enabled. Unset: enabled when an API key is set.
     * {@code true} without a key fails start-up; {@code false} provides a no-op client.
     */
    private @Nullable Boolean enabled;

    /**
     * Project API key ({@code phc_...}) that authenticates events. Sanitised by the
     * actuator endpoints and never logged.
     */
    private @Nullable String apiKey;

    /**
     * PostHog host (or reverse proxy) to send events to, e.g.
     * {@code https://eu.i.posthog.com}.
     */
    private String host = PosthogClientBuilder.DEFAULT_HOST;

    /**
     * Number of queued events that triggers a request without waiting for the flush
     * interval.
     */
    private int flushAt = PosthogClientBuilder.DEFAULT_FLUSH_AT;

    /**
     * Maximum time queued events wait before they are sent.
     */
    private Duration flushInterval = PosthogClientBuilder.DEFAULT_FLUSH_INTERVAL;

    /**
     * Maximum number of events in one request; when more than flush-at events are queued
     * (a burst or a backlog), a request takes up to this many. Values below flush-at mean
     * flush-at.
     */
    private int maxBatchSize = PosthogClientBuilder.DEFAULT_MAX_BATCH_SIZE;

    /**
     * Maximum number of events the in-memory queue holds, batches waiting for a retry
     * included; captures into a full queue are dropped and counted.
     */
    private int maxQueueSize = PosthogClientBuilder.DEFAULT_MAX_QUEUE_SIZE;

    /**
     * Maximum heap the in-memory queue holds, estimated per event at capture (batches
     * waiting for a retry included); captures beyond it are dropped and counted. 0 means
     * an eighth of the JVM's maximum heap, at most 256MB.
     */
    private DataSize maxQueueBytes = DataSize.ofBytes(PosthogClientBuilder.DEFAULT_MAX_QUEUE_BYTES);

    /**
     * Maximum size of a request body before compression; bigger batches are split.
     */
    private DataSize maxBatchBytes = DataSize.ofBytes(PosthogClientBuilder.DEFAULT_MAX_BATCH_BYTES);

    /**
     * Maximum size of one serialised event; bigger events are dropped and counted.
     */
    private DataSize maxEventBytes = DataSize.ofBytes(PosthogClientBuilder.DEFAULT_MAX_EVENT_BYTES);

    /**
     * Number of consumer threads that send batches (1 to 16). The second and later ones
     * send only while a backlog waits.
     */
    private int consumerThreads = PosthogClientBuilder.DEFAULT_CONSUMER_THREADS;

    /**
     * Maximum number of retries of a batch after a retryable failure (408, 429, 5xx, I/O
     * errors) before the client treats PostHog as unreachable: the batch then waits at
     * the head of the line (nothing is dropped) and the client probes PostHog.
     */
    private int maxRetries = PosthogClientBuilder.DEFAULT_MAX_RETRIES;

    /**
     * Backoff before the first retry; it doubles with each retry, with jitter.
     */
    private Duration retryInitialBackoff = PosthogClientBuilder.DEFAULT_RETRY_INITIAL_BACKOFF;

    /**
     * Maximum backoff between the retries of a batch, and cap of a Retry-After between
     * retries.
     */
    private Duration retryMaxBackoff = PosthogClientBuilder.DEFAULT_RETRY_MAX_BACKOFF;

    /**
     * Pause before the first probe once PostHog is unreachable (a batch used its retries:
     * it waits at the head of the line, nothing is dropped); each failed probe doubles
     * the pause up to max-probe-interval.
     */
    private Duration probeInterval = PosthogClientBuilder.DEFAULT_PROBE_INTERVAL;

    /**
     * Maximum pause between probes while PostHog is unreachable; a Retry-After lengthens
     * a pause within this cap.
     */
    private Duration maxProbeInterval = PosthogClientBuilder.DEFAULT_MAX_PROBE_INTERVAL;

    /**
     * Maximum time to establish a connection to PostHog.
     */
    private Duration connectTimeout = PosthogClientBuilder.DEFAULT_CONNECT_TIMEOUT;

    /**
     * Maximum time of one request, response included.
     */
    private Duration requestTimeout = PosthogClientBuilder.DEFAULT_REQUEST_TIMEOUT;

    /**
     * Whether request bodies are gzip-compressed.
     */
    private boolean compression = PosthogClientBuilder.DEFAULT_COMPRESSION;

    /**
     * Maximum time the client takes to stop its threads and deliver what is left when the
     * context stops or closes.
     */
    private Duration shutdownTimeout = PosthogClientBuilder.DEFAULT_SHUTDOWN_TIMEOUT;

    /**
     * Maximum time {@code PosthogClient.flush()} waits.
     */
    private Duration flushTimeout = PosthogClientBuilder.DEFAULT_FLUSH_TIMEOUT;

    /**
     * Properties added to every event (an event's own property of the same name wins).
     */
    private Map<String, String> superProperties = new LinkedHashMap<>();

    /**
     * Whether PostHog is asked not to enrich events with GeoIP data.
     */
    private boolean disableGeoip = PosthogClientBuilder.DEFAULT_DISABLE_GEOIP;

    /**
     * Whether batches are marked as a historical migration (imports of old data).
     */
    private boolean historicalMigration = PosthogClientBuilder.DEFAULT_HISTORICAL_MIGRATION;

    /**
     * Whether the client starts opted out: capture and flag calls send nothing until
     * {@code PosthogClient.optIn()}.
     */
    private boolean optOut = PosthogClientBuilder.DEFAULT_OPT_OUT;

    /**
     * Whether the client logs verbose diagnostics at INFO (every request, drop and
     * accepted capture; never properties or keys).
     */
    private boolean debug = PosthogClientBuilder.DEFAULT_DEBUG;

    /**
     * Wire protocol of analytics events: {@code v0} ({@code POST /batch/}) or {@code v1}
     * ({@code POST /i/v1/analytics/events}: Bearer authentication, per-event results,
     * only the events PostHog asks to retry are resent).
     */
    private CaptureProtocol captureProtocol = PosthogClientBuilder.DEFAULT_CAPTURE_PROTOCOL;

    /**
     * Content encoding of compressed request bodies: {@code gzip}, or {@code zstd}
     * (capture v1 only; needs com.github.luben:zstd-jni, else gzip).
     */
    private CompressionEncoding compressionEncoding = PosthogClientBuilder.DEFAULT_COMPRESSION_ENCODING;

    private final Health health = new Health();

    private final FeatureFlags featureFlags = new FeatureFlags();

    private final Spool spool = new Spool();

    private final OpenFeature openfeature = new OpenFeature();

    /**
     * Whether the PostHog context of a request (or one opened by the application) follows
     * work handed to other threads: @Async methods and task executors (a
     * ContextPropagatingTaskDecorator bean, unless the application defines a
     * TaskDecorator), and Reactor pipelines with spring.reactor.context-propagation=auto.
     * Needs io.micrometer:context-propagation.
     */
    private boolean contextPropagation = true;

    @NestedConfigurationProperty
    private final PosthogExceptionsProperties exceptions = new PosthogExceptionsProperties();

    @NestedConfigurationProperty
    private final PosthogWebProperties web = new PosthogWebProperties();

    private final Ai ai = new Ai();

    @NestedConfigurationProperty
    private final PosthogLogsProperties logs = new PosthogLogsProperties();

    @NestedConfigurationProperty
    private final PosthogTracesProperties traces = new PosthogTracesProperties();

    public PosthogLogsProperties getLogs() {
        return logs;
    }

    public PosthogTracesProperties getTraces() {
        return traces;
    }

    public CaptureProtocol getCaptureProtocol() {
        return captureProtocol;
    }

    public void setCaptureProtocol(CaptureProtocol captureProtocol) {
        this.captureProtocol = captureProtocol;
    }

    public CompressionEncoding getCompressionEncoding() {
        return compressionEncoding;
    }

    public void setCompressionEncoding(CompressionEncoding compressionEncoding) {
        this.compressionEncoding = compressionEncoding;
    }

    public Ai getAi() {
        return ai;
    }

    public @Nullable Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(@Nullable Boolean enabled) {
        this.enabled = enabled;
    }

    public @Nullable String getApiKey() {
        return apiKey;
    }

    public void setApiKey(@Nullable String apiKey) {
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

    public DataSize getMaxQueueBytes() {
        return maxQueueBytes;
    }

    public void setMaxQueueBytes(DataSize maxQueueBytes) {
        this.maxQueueBytes = maxQueueBytes;
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

    public Duration getProbeInterval() {
        return probeInterval;
    }

    public void setProbeInterval(Duration probeInterval) {
        this.probeInterval = probeInterval;
    }

    public Duration getMaxProbeInterval() {
        return maxProbeInterval;
    }

    public void setMaxProbeInterval(Duration maxProbeInterval) {
        this.maxProbeInterval = maxProbeInterval;
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

    public boolean isOptOut() {
        return optOut;
    }

    public void setOptOut(boolean optOut) {
        this.optOut = optOut;
    }

    public boolean isDebug() {
        return debug;
    }

    public void setDebug(boolean debug) {
        this.debug = debug;
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

    public OpenFeature getOpenfeature() {
        return openfeature;
    }

    public boolean isContextPropagation() {
        return contextPropagation;
    }

    public void setContextPropagation(boolean contextPropagation) {
        this.contextPropagation = contextPropagation;
    }

    public PosthogExceptionsProperties getExceptions() {
        return exceptions;
    }

    public PosthogWebProperties getWeb() {
        return web;
    }

    @Override
    public String toString() {
        return "PosthogProperties[enabled=" + enabled + ", host=" + host + ", apiKey="
                + ((apiKey == null || apiKey.isEmpty()) ? "none" : "(hidden)") + "]";
    }

    /**
     * AI events and the Spring AI bridge, {@code posthog.ai.*}: every chat and embedding
     * call of Spring AI becomes an {@code $ai_generation} or {@code $ai_embedding} event.
     */
    public static class Ai {

        /**
         * Whether Spring AI chat and embedding calls are recorded as PostHog LLM
         * analytics events (when Spring AI is on the class path).
         */
        private boolean enabled = true;

        /**
         * Whether prompts and completions ({@code $ai_input}, {@code $ai_output_choices})
         * are left out of the events; model, tokens, latency and errors are still sent.
         */
        private boolean privacyMode;

        /**
         * Whether the bridge sends its events on the dedicated AI route
         * ({@code /i/v0/ai/batch/}, 8 MiB per event) with prompts and completions whole
         * and media as given, PostHog's {@code enable_full_ai_capture}. Off: the
         * analytics route, with each text cut to {@code max-content-length} characters
         * and media replaced by a placeholder.
         */
        private boolean fullCapture;

        /**
         * Maximum characters of one text (a message, a completion, an embedded input)
         * when full capture is off; longer texts are cut and marked.
         */
        private int maxContentLength = 32_768;

        /**
         * Maximum number of AI events waiting in the AI queue ({@code captureAi}); a full
         * queue drops new ones.
         */
        private int maxQueueSize = PosthogClientBuilder.DEFAULT_AI_MAX_QUEUE_SIZE;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isPrivacyMode() {
            return privacyMode;
        }

        public void setPrivacyMode(boolean privacyMode) {
            this.privacyMode = privacyMode;
        }

        public boolean isFullCapture() {
            return fullCapture;
        }

        public void setFullCapture(boolean fullCapture) {
            this.fullCapture = fullCapture;
        }

        public int getMaxContentLength() {
            return maxContentLength;
        }

        public void setMaxContentLength(int maxContentLength) {
            this.maxContentLength = maxContentLength;
        }

        public int getMaxQueueSize() {
            return maxQueueSize;
        }

        public void setMaxQueueSize(int maxQueueSize) {
            this.maxQueueSize = maxQueueSize;
        }

    }

    /** Health indicator settings, {@code posthog.health.*}. */
    public static class Health {

        /**
         * Whether the {@code posthog} health component reports DOWN while PostHog is
         * unreachable. Off by default, so that an analytics outage never fails the
         * application's health check.
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
         * Personal API key ({@code phx_...}) or project secret key that loads flag
         * definitions for local evaluation. Sanitised by the actuator endpoints and never
         * logged.
         */
        private @Nullable String personalApiKey;

        /**
         * Whether flags are evaluated locally from periodically loaded definitions (needs
         * the personal API key).
         */
        private boolean localEvaluation = PosthogClientBuilder.DEFAULT_LOCAL_EVALUATION;

        /**
         * Interval at which flag definitions are loaded for local evaluation.
         */
        private Duration pollInterval = PosthogClientBuilder.DEFAULT_FLAGS_POLL_INTERVAL;

        /**
         * Maximum time of one flags or definitions request.
         */
        private Duration requestTimeout = PosthogClientBuilder.DEFAULT_FLAGS_REQUEST_TIMEOUT;

        /**
         * Whether reading a flag captures a {@code $feature_flag_called} event
         * (deduplicated per person, flag, value and groups).
         */
        private boolean sendFeatureFlagEvents = PosthogClientBuilder.DEFAULT_SEND_FEATURE_FLAG_EVENTS;

        /**
         * Maximum time the engine's start waits for the first flag definitions load; zero
         * never waits (flags evaluated before the first load are asked of PostHog).
         */
        private Duration initialLoadWait = PosthogClientBuilder.DEFAULT_FLAGS_INITIAL_LOAD_WAIT;

        /**
         * Maximum size of a flag definitions response; a bigger one is refused and the
         * last good definitions are kept.
         */
        private DataSize maxDefinitionsBytes = DataSize
            .ofBytes(PosthogClientBuilder.DEFAULT_MAX_FLAG_DEFINITIONS_BYTES);

        /**
         * Maximum retries of a {@code /flags} request after a transport failure or a
         * 502/504 (300 ms, then 600 ms, doubling); 0 turns retries off.
         */
        private int maxRetries = PosthogClientBuilder.DEFAULT_FLAGS_MAX_RETRIES;

        /**
         * Maximum number of evaluation contexts (a distinct id with its groups and
         * properties) whose {@code /flags} answers are kept in an LRU cache, for
         * evaluations that are not local; 0 turns the cache off.
         */
        private int cacheMaxSize = PosthogClientBuilder.DEFAULT_FLAG_CACHE_MAX_SIZE;

        /**
         * Time a cached {@code /flags} answer is served without asking PostHog again;
         * older answers remain the fallback when {@code /flags} fails. Zero serves the
         * cache only as that fallback.
         */
        private Duration cacheTtl = PosthogClientBuilder.DEFAULT_FLAG_CACHE_TTL;

        private final Redis redis = new Redis();

        public int getMaxRetries() {
            return maxRetries;
        }

        public void setMaxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
        }

        public int getCacheMaxSize() {
            return cacheMaxSize;
        }

        public void setCacheMaxSize(int cacheMaxSize) {
            this.cacheMaxSize = cacheMaxSize;
        }

        public Duration getCacheTtl() {
            return cacheTtl;
        }

        public void setCacheTtl(Duration cacheTtl) {
            this.cacheTtl = cacheTtl;
        }

        public Redis getRedis() {
            return redis;
        }

        public DataSize getMaxDefinitionsBytes() {
            return maxDefinitionsBytes;
        }

        public void setMaxDefinitionsBytes(DataSize maxDefinitionsBytes) {
            this.maxDefinitionsBytes = maxDefinitionsBytes;
        }

        public Duration getInitialLoadWait() {
            return initialLoadWait;
        }

        public void setInitialLoadWait(Duration initialLoadWait) {
            this.initialLoadWait = initialLoadWait;
        }

        public @Nullable String getPersonalApiKey() {
            return personalApiKey;
        }

        public void setPersonalApiKey(@Nullable String personalApiKey) {
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
     * Flag definitions shared through Redis, {@code posthog.feature-flags.redis.*}: with
     * local evaluation, Spring Data Redis and a {@code RedisConnectionFactory}, one
     * instance at a time (the holder of a short lease) loads the definitions from PostHog
     * and the others read them from Redis.
     */
    public static class Redis {

        /**
         * Whether flag definitions are shared through Redis when local evaluation is on
         * and a RedisConnectionFactory exists.
         */
        private boolean enabled = true;

        /**
         * Prefix of the Redis keys (the lease and the definitions); a digest of the host
         * and the project key follows it, so projects never share keys.
         */
        private String keyPrefix = "posthog:flags:";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getKeyPrefix() {
            return keyPrefix;
        }

        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

    }

    /**
     * OpenFeature settings, {@code posthog.openfeature.*}.
     */
    public static class OpenFeature {

        /**
         * Whether the PostHog provider is registered as the default provider of the
         * OpenFeature API when posthog-openfeature and the OpenFeature SDK are on the
         * class path.
         */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

    }

    /**
     * Durable spool settings, {@code posthog.spool.*}: captured events survive a crash or
     * a restart.
     */
    public static class Spool {

        /**
         * Whether captured events are written to a write-ahead log on disk before capture
         * returns, and removed only once PostHog has acknowledged them (at least once
         * after a crash; uuids unchanged, so PostHog deduplicates). Log records get a
         * write-ahead log of their own in the subdirectory "logs"; spans stay in memory.
         */
        private boolean enabled;

        /**
         * Directory of the spool; one process per directory (it is locked). Required when
         * the spool is enabled.
         */
        private @Nullable Path directory;

        /**
         * Maximum disk space the spool may use; when it is full, new events are dropped
         * and counted. The log records' spool has a quarter of this on top.
         */
        private DataSize maxBytes = DataSize.ofBytes(PosthogClientBuilder.DEFAULT_SPOOL_MAX_BYTES);

        /**
         * Group-commit window: the maximum time between two syncs of appended events to
         * disk, so the most recent captures a machine crash (not a process crash) can
         * lose.
         */
        private Duration syncInterval = PosthogClientBuilder.DEFAULT_SPOOL_SYNC_INTERVAL;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable Path getDirectory() {
            return directory;
        }

        public void setDirectory(@Nullable Path directory) {
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
