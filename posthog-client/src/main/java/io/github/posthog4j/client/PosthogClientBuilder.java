package io.github.posthog4j.client;

import io.github.posthog4j.client.internal.ClientSettings;
import io.github.posthog4j.client.internal.DefaultPosthogClient;
import java.nio.file.Path;
import io.github.posthog4j.client.internal.FlagSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link PosthogClient}. Obtain one with {@link PosthogClient#builder(String)}.
 *
 * <pre>{@code
 * PosthogClient posthog = PosthogClient.builder("phc_...")
 *         .host("https://eu.i.posthog.com")
 *         .flushAt(100)
 *         .flushInterval(Duration.ofSeconds(5))
 *         .maxQueueSize(10_000)
 *         .build();          // already delivering
 * ...
 * posthog.close();           // delivers what is left, stops the threads
 * }</pre>
 *
 * Not thread-safe. {@link #build()} and {@link #buildStopped()} validate the settings and
 * throw {@link PosthogConfigurationException} naming the setting at fault.
 */
public final class PosthogClientBuilder {

    /** The default PostHog host (US cloud). */
    public static final String DEFAULT_HOST = "https://us.i.posthog.com";

    private String apiKey;

    private String host = DEFAULT_HOST;

    private int flushAt = 100;

    private int maxBatchSize = 1000;

    private Duration flushInterval = Duration.ofSeconds(5);

    private int maxQueueSize = 10_000;

    private int maxBatchBytes = 5 * 1024 * 1024;

    private int maxEventBytes = 900 * 1024;

    private int consumerThreads = 1;

    private int maxRetries = 3;

    private Duration retryInitialBackoff = Duration.ofMillis(500);

    private Duration retryMaxBackoff = Duration.ofSeconds(30);

    private Duration connectTimeout = Duration.ofSeconds(5);

    private Duration requestTimeout = Duration.ofSeconds(10);

    private boolean compression = true;

    private Duration shutdownTimeout = Duration.ofSeconds(10);

    private Duration flushTimeout = Duration.ofSeconds(30);

    private final Map<String, Object> superProperties = new LinkedHashMap<>();

    private boolean disableGeoip;

    private boolean historicalMigration;

    private final List<BeforeSendHook> beforeSend = new ArrayList<>();

    private final List<PosthogClientListener> listeners = new ArrayList<>();

    private Path spoolDirectory;

    private long spoolMaxBytes = 256L * 1024 * 1024;

    private Duration spoolSyncInterval = Duration.ofMillis(100);

    private String personalApiKey;

    private boolean localEvaluation;

    private Duration flagsPollInterval = Duration.ofSeconds(30);

    private Duration flagsRequestTimeout = Duration.ofSeconds(3);

    private boolean sendFeatureFlagEvents = true;

    private Duration flagsInitialLoadWait = Duration.ZERO;

    private int maxFlagDefinitionsBytes = FlagSettings.DEFAULT_MAX_DEFINITIONS_BYTES;

    private java.util.function.Consumer<PosthogEvent> deliverTo;

    PosthogClientBuilder(String apiKey) {
        this.apiKey = apiKey;
    }

    /**
     * Replaces the project API key.
     * @param apiKey the project API key ({@code phc_...})
     * @return this builder
     */
    public PosthogClientBuilder apiKey(String apiKey) {
        this.apiKey = apiKey;
        return this;
    }

    /**
     * Sets the PostHog host, e.g. {@code https://eu.i.posthog.com} or a reverse proxy.
     * Default {@value #DEFAULT_HOST}.
     * @param host an http or https URL; a trailing slash is ignored
     * @return this builder
     */
    public PosthogClientBuilder host(String host) {
        this.host = host;
        return this;
    }

    /**
     * Sets how many queued events trigger a request (without waiting for the flush
     * interval). Default 100.
     * @param flushAt at least 1
     * @return this builder
     */
    public PosthogClientBuilder flushAt(int flushAt) {
        this.flushAt = flushAt;
        return this;
    }

    /**
     * Sets the most events one request carries. When more than {@link #flushAt(int)}
     * events are queued (a burst, or a backlog after an outage) a request takes up to
     * this many, so that delivery keeps up; requests also stay under
     * {@link #maxBatchBytes(int)}. Default 1000; a value below {@code flushAt} means
     * {@code flushAt}.
     * @param maxBatchSize at least 1
     * @return this builder
     */
    public PosthogClientBuilder maxBatchSize(int maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
        return this;
    }

    /**
     * Sets how long queued events wait at most before a batch is sent. Default 5 seconds.
     * @param flushInterval positive
     * @return this builder
     */
    public PosthogClientBuilder flushInterval(Duration flushInterval) {
        this.flushInterval = flushInterval;
        return this;
    }

    /**
     * Sets the queue's capacity; a capture into a full queue drops the event
     * ({@link DropReason#QUEUE_FULL}). Default 10000.
     * @param maxQueueSize at least 1
     * @return this builder
     */
    public PosthogClientBuilder maxQueueSize(int maxQueueSize) {
        this.maxQueueSize = maxQueueSize;
        return this;
    }

    /**
     * Sets the largest request body, before compression; bigger batches are split.
     * Default 5 MiB.
     * @param maxBatchBytes at least 64 KiB
     * @return this builder
     */
    public PosthogClientBuilder maxBatchBytes(int maxBatchBytes) {
        this.maxBatchBytes = maxBatchBytes;
        return this;
    }

    /**
     * Sets the largest serialised event; bigger events are dropped
     * ({@link DropReason#TOO_LARGE}). Default 900 KiB.
     * @param maxEventBytes at least 1 KiB, and below the batch limit
     * @return this builder
     */
    public PosthogClientBuilder maxEventBytes(int maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
        return this;
    }

    /**
     * Sets how many consumer threads send batches in parallel. Default 1.
     * @param consumerThreads 1 to 16
     * @return this builder
     */
    public PosthogClientBuilder consumerThreads(int consumerThreads) {
        this.consumerThreads = consumerThreads;
        return this;
    }

    /**
     * Sets how many times a batch is retried after a retryable failure (408, 429, 5xx,
     * I/O). Default 3, that is 4 attempts in all.
     * @param maxRetries 0 or more
     * @return this builder
     */
    public PosthogClientBuilder maxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
        return this;
    }

    /**
     * Sets the backoff before the first retry; it doubles with each retry (with jitter)
     * up to {@link #retryMaxBackoff(Duration)}. Default 500 ms.
     * @param initial positive
     * @return this builder
     */
    public PosthogClientBuilder retryInitialBackoff(Duration initial) {
        this.retryInitialBackoff = initial;
        return this;
    }

    /**
     * Sets the longest backoff between retries, the cap applied to {@code Retry-After},
     * and the longest pause between probes while PostHog is unreachable. Default 30
     * seconds.
     * @param max positive
     * @return this builder
     */
    public PosthogClientBuilder retryMaxBackoff(Duration max) {
        this.retryMaxBackoff = max;
        return this;
    }

    /**
     * Sets the TCP connect timeout. Default 5 seconds.
     * @param connectTimeout positive
     * @return this builder
     */
    public PosthogClientBuilder connectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        return this;
    }

    /**
     * Sets how long one request may take, response included. Default 10 seconds.
     * @param requestTimeout positive
     * @return this builder
     */
    public PosthogClientBuilder requestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
        return this;
    }

    /**
     * Sets whether request bodies are gzip-compressed. Default true.
     * @param compression whether to gzip
     * @return this builder
     */
    public PosthogClientBuilder compression(boolean compression) {
        this.compression = compression;
        return this;
    }

    /**
     * Sets how long {@link PosthogClient#close()} and {@link ManagedPosthogClient#stop()}
     * may take. Default 10 seconds.
     * @param shutdownTimeout positive
     * @return this builder
     */
    public PosthogClientBuilder shutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
        return this;
    }

    /**
     * Sets how long {@link PosthogClient#flush()} waits at most. Default 30 seconds.
     * @param flushTimeout positive
     * @return this builder
     */
    public PosthogClientBuilder flushTimeout(Duration flushTimeout) {
        this.flushTimeout = flushTimeout;
        return this;
    }

    /**
     * Adds a super property, sent with every event (an event's own property of the same
     * name wins).
     * @param key the name
     * @param value the value
     * @return this builder
     */
    public PosthogClientBuilder superProperty(String key, Object value) {
        this.superProperties.put(key, value);
        return this;
    }

    /**
     * Adds super properties.
     * @param properties the properties; null is ignored
     * @return this builder
     */
    public PosthogClientBuilder superProperties(Map<String, ?> properties) {
        if (properties != null) {
            this.superProperties.putAll(properties);
        }
        return this;
    }

    /**
     * Sets whether PostHog should skip GeoIP enrichment of events
     * ({@code $geoip_disable}). Default false.
     * @param disableGeoip whether to disable GeoIP
     * @return this builder
     */
    public PosthogClientBuilder disableGeoip(boolean disableGeoip) {
        this.disableGeoip = disableGeoip;
        return this;
    }

    /**
     * Sets whether batches are marked as a historical migration (imports of old data).
     * Default false.
     * @param historicalMigration whether to mark batches
     * @return this builder
     */
    public PosthogClientBuilder historicalMigration(boolean historicalMigration) {
        this.historicalMigration = historicalMigration;
        return this;
    }

    /**
     * Adds a before-send hook; hooks run in the order added.
     * @param hook the hook
     * @return this builder
     */
    public PosthogClientBuilder beforeSend(BeforeSendHook hook) {
        this.beforeSend.add(Objects.requireNonNull(hook, "hook"));
        return this;
    }

    /**
     * Adds a listener for requests and drops.
     * @param listener the listener
     * @return this builder
     */
    public PosthogClientBuilder listener(PosthogClientListener listener) {
        this.listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Turns on the durable spool: captured events are written to a write-ahead log in
     * this directory by the delivery engine and removed only after PostHog acknowledged
     * them, so they survive a crash or a restart (at least once, uuids unchanged). Off by
     * default. One process per directory (it is locked).
     * @param directory the spool directory (created if missing), or null for no spool
     * @return this builder
     */
    public PosthogClientBuilder spool(Path directory) {
        this.spoolDirectory = directory;
        return this;
    }

    /**
     * Sets the personal API key (or project secret key) used to load feature flag
     * definitions for local evaluation, sent as {@code Authorization: Bearer}. Never
     * logged.
     * @param personalApiKey the key, or null
     * @return this builder
     */
    public PosthogClientBuilder personalApiKey(String personalApiKey) {
        this.personalApiKey = personalApiKey;
        return this;
    }

    /**
     * Sets the most disk space the spool may use; when it is full, new events are dropped
     * ({@link DropReason#QUEUE_FULL}). Default 256 MiB.
     * @param maxBytes at least 1 MiB
     * @return this builder
     */
    public PosthogClientBuilder spoolMaxBytes(long maxBytes) {
        this.spoolMaxBytes = maxBytes;
        return this;
    }

    /**
     * Sets whether feature flags are evaluated in process from definitions polled on the
     * {@code posthog-flags} thread (needs {@link #personalApiKey(String)}); flags that
     * cannot be decided locally are asked of PostHog. Default false: every evaluation is
     * a {@code /flags} request.
     * @param localEvaluation whether to evaluate locally
     * @return this builder
     */
    public PosthogClientBuilder localEvaluation(boolean localEvaluation) {
        this.localEvaluation = localEvaluation;
        return this;
    }

    /**
     * Sets the group-commit window of the spool: how often appended events are forced to
     * disk. An event is crash-safe once it has been appended and the next sync ran, so at
     * most about this long (plus the time it waited in the in-memory queue) after
     * capture. Default 100 ms.
     * @param interval positive
     * @return this builder
     */
    public PosthogClientBuilder spoolSyncInterval(Duration interval) {
        this.spoolSyncInterval = interval;
        return this;
    }

    /**
     * Sets how often flag definitions are polled for local evaluation. Default 30
     * seconds.
     * @param interval at least 10 ms
     * @return this builder
     */
    public PosthogClientBuilder flagsPollInterval(Duration interval) {
        this.flagsPollInterval = interval;
        return this;
    }

    /**
     * Sets how long one {@code /flags} or definitions request may take. Default 3
     * seconds.
     * @param timeout positive
     * @return this builder
     */
    public PosthogClientBuilder flagsRequestTimeout(Duration timeout) {
        this.flagsRequestTimeout = timeout;
        return this;
    }

    /**
     * Sets whether flag reads capture a {@code $feature_flag_called} event by default
     * (deduplicated per person, flag, value and groups). Default true;
     * {@link FlagOptions} may override it per call.
     * @param send whether to send the events
     * @return this builder
     */
    public PosthogClientBuilder sendFeatureFlagEvents(boolean send) {
        this.sendFeatureFlagEvents = send;
        return this;
    }

    /**
     * Sets how long {@link ManagedPosthogClient#start()} waits at most for the first flag
     * definitions load when local evaluation is on. Default zero: start never waits, and
     * evaluations before the first load go to PostHog.
     * @param wait zero or positive
     * @return this builder
     */
    public PosthogClientBuilder flagsInitialLoadWait(Duration wait) {
        this.flagsInitialLoadWait = wait;
        return this;
    }

    /**
     * Delivers every accepted event to this consumer, on the capturing thread, instead of
     * sending it to PostHog: for tests and for embedding (the Spring Boot test kit
     * records events this way). The event has passed validation, enrichment and the
     * before-send hooks, exactly as it would be sent ({@code $lib} aside). No delivery
     * thread starts and no request is made for events; {@link PosthogClient#flush()}
     * returns at once. Feature flags still ask PostHog. An exception thrown by the
     * consumer drops the event ({@link DropReason#BEFORE_SEND}).
     * @param consumer the consumer, or null to send to PostHog (the default)
     * @return this builder
     */
    public PosthogClientBuilder deliverTo(java.util.function.Consumer<PosthogEvent> consumer) {
        this.deliverTo = consumer;
        return this;
    }

    /**
     * Sets the largest flag definitions response accepted; a bigger one is refused and
     * the last good definitions are kept. Default 32 MiB.
     * @param maxBytes at least 1024
     * @return this builder
     */
    public PosthogClientBuilder maxFlagDefinitionsBytes(int maxBytes) {
        this.maxFlagDefinitionsBytes = maxBytes;
        return this;
    }

    /**
     * Builds and starts a client: it delivers until {@link PosthogClient#close()}.
     * @return a running client
     * @throws PosthogConfigurationException if a setting cannot work
     */
    public ManagedPosthogClient build() {
        ManagedPosthogClient client = buildStopped();
        client.start();
        return client;
    }

    /**
     * Builds a client whose delivery engine is not started: it queues events and starts
     * no thread and opens no socket until {@link ManagedPosthogClient#start()} (or
     * delivers on the calling thread in {@link PosthogClient#flush()} and
     * {@link PosthogClient#close()}).
     * @return a stopped client
     * @throws PosthogConfigurationException if a setting cannot work
     */
    public ManagedPosthogClient buildStopped() {
        return new DefaultPosthogClient(toSettings());
    }

    /**
     * Validates the settings and returns them as the immutable value the client works
     * with. Meant for the client's own internals and integrations such as the Spring Boot
     * starter.
     * @return the settings
     * @throws PosthogConfigurationException if a setting cannot work
     */
    public ClientSettings toSettings() {
        return ClientSettings.validate(apiKey, host, flushAt, maxBatchSize, flushInterval, maxQueueSize, maxBatchBytes,
                maxEventBytes, consumerThreads, maxRetries, retryInitialBackoff, retryMaxBackoff, connectTimeout,
                requestTimeout, compression, shutdownTimeout, flushTimeout, superProperties, disableGeoip,
                historicalMigration, beforeSend, listeners,
                FlagSettings.validate(personalApiKey, localEvaluation, flagsPollInterval, flagsRequestTimeout,
                        sendFeatureFlagEvents, flagsInitialLoadWait, maxFlagDefinitionsBytes),
                spoolDirectory, spoolMaxBytes, spoolSyncInterval, deliverTo);
    }

    @Override
    public String toString() {
        return "PosthogClientBuilder[host=" + host + ", apiKey=" + (apiKey == null ? "none" : "(hidden)") + "]";
    }

}
