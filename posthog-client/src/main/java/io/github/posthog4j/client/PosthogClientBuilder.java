package io.github.posthog4j.client;

import io.github.posthog4j.client.internal.ClientSettings;
import io.github.posthog4j.client.internal.DefaultPosthogClient;
import io.github.posthog4j.client.internal.ExceptionSettings;
import io.github.posthog4j.client.internal.FlagSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

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

    /** Default of {@link #host(String)}: PostHog's US cloud. */
    public static final String DEFAULT_HOST = "https://us.i.posthog.com";

    /** Default of {@link #flushAt(int)}. */
    public static final int DEFAULT_FLUSH_AT = 100;

    /** Default of {@link #maxBatchSize(int)}. */
    public static final int DEFAULT_MAX_BATCH_SIZE = 5000;

    /** Default of {@link #flushInterval(Duration)}. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(5);

    /**
     * Default of {@link #maxQueueSize(int)}: high, so that the heap budget
     * ({@link #maxQueueBytes(long)}) is the bound that matters.
     */
    public static final int DEFAULT_MAX_QUEUE_SIZE = 1_000_000;

    /**
     * Default of {@link #maxQueueBytes(long)}: 0, an eighth of the maximum heap, at most
     * 256 MiB.
     */
    public static final long DEFAULT_MAX_QUEUE_BYTES = 0;

    /** Default of {@link #maxBatchBytes(int)}: 5 MiB. */
    public static final int DEFAULT_MAX_BATCH_BYTES = 5 * 1024 * 1024;

    /** Default of {@link #maxEventBytes(int)}: 900 KiB. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 900 * 1024;

    /** Default of {@link #consumerThreads(int)}. */
    public static final int DEFAULT_CONSUMER_THREADS = 2;

    /** Default of {@link #maxRetries(int)}. */
    public static final int DEFAULT_MAX_RETRIES = 3;

    /** Default of {@link #retryInitialBackoff(Duration)}. */
    public static final Duration DEFAULT_RETRY_INITIAL_BACKOFF = Duration.ofMillis(500);

    /** Default of {@link #retryMaxBackoff(Duration)}. */
    public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofSeconds(30);

    /** Default of {@link #probeInterval(Duration)}. */
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(30);

    /** Default of {@link #maxProbeInterval(Duration)}. */
    public static final Duration DEFAULT_MAX_PROBE_INTERVAL = Duration.ofMinutes(5);

    /** Default of {@link #connectTimeout(Duration)}. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** Default of {@link #requestTimeout(Duration)}. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** Default of {@link #compression(boolean)}. */
    public static final boolean DEFAULT_COMPRESSION = true;

    /** Default of {@link #shutdownTimeout(Duration)}. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    /** Default of {@link #flushTimeout(Duration)}. */
    public static final Duration DEFAULT_FLUSH_TIMEOUT = Duration.ofSeconds(30);

    /** Default of {@link #disableGeoip(boolean)}. */
    public static final boolean DEFAULT_DISABLE_GEOIP = false;

    /** Default of {@link #historicalMigration(boolean)}. */
    public static final boolean DEFAULT_HISTORICAL_MIGRATION = false;

    /** Default of {@link #optOut(boolean)}. */
    public static final boolean DEFAULT_OPT_OUT = false;

    /** Default of {@link #debug(boolean)}. */
    public static final boolean DEFAULT_DEBUG = false;

    /** Default of {@link #spoolMaxBytes(long)}: 256 MiB. */
    public static final long DEFAULT_SPOOL_MAX_BYTES = 256L * 1024 * 1024;

    /** Default of {@link #spoolSyncInterval(Duration)}. */
    public static final Duration DEFAULT_SPOOL_SYNC_INTERVAL = Duration.ofMillis(100);

    /** Default of {@link #localEvaluation(boolean)}. */
    public static final boolean DEFAULT_LOCAL_EVALUATION = false;

    /** Default of {@link #flagsPollInterval(Duration)}. */
    public static final Duration DEFAULT_FLAGS_POLL_INTERVAL = Duration.ofSeconds(30);

    /** Default of {@link #flagsRequestTimeout(Duration)}. */
    public static final Duration DEFAULT_FLAGS_REQUEST_TIMEOUT = Duration.ofSeconds(3);

    /** Default of {@link #sendFeatureFlagEvents(boolean)}. */
    public static final boolean DEFAULT_SEND_FEATURE_FLAG_EVENTS = true;

    /** Default of {@link #flagsInitialLoadWait(Duration)}. */
    public static final Duration DEFAULT_FLAGS_INITIAL_LOAD_WAIT = Duration.ZERO;

    /** Default of {@link #maxFlagDefinitionsBytes(int)}: 32 MiB. */
    public static final int DEFAULT_MAX_FLAG_DEFINITIONS_BYTES = 32 * 1024 * 1024;

    /** Default of {@link #flagsMaxRetries(int)}: one retry, two attempts in all. */
    public static final int DEFAULT_FLAGS_MAX_RETRIES = 1;

    /** Default of {@link #flagCacheMaxSize(int)}: no flag value cache. */
    public static final int DEFAULT_FLAG_CACHE_MAX_SIZE = 0;

    /** Default of {@link #flagCacheTtl(Duration)}. */
    public static final Duration DEFAULT_FLAG_CACHE_TTL = Duration.ofMinutes(5);

    /** Default of {@link #maxExceptionsPerMinute(int)}. */
    public static final int DEFAULT_MAX_EXCEPTIONS_PER_MINUTE = 10;

    /** Default of {@link #captureProtocol(CaptureProtocol)}. */
    public static final CaptureProtocol DEFAULT_CAPTURE_PROTOCOL = CaptureProtocol.V0;

    /** Default of {@link #compressionEncoding(CompressionEncoding)}. */
    public static final CompressionEncoding DEFAULT_COMPRESSION_ENCODING = CompressionEncoding.GZIP;

    /** Default of {@link #aiMaxQueueSize(int)}. */
    public static final int DEFAULT_AI_MAX_QUEUE_SIZE = 1000;

    static {
        ClientSettings.Access.install(PosthogClientBuilder::settings);
    }

    private LogsConfig logs = LogsConfig.defaults();

    private @Nullable TracesConfig traces;

    private @Nullable String apiKey;

    private @Nullable String host = DEFAULT_HOST;

    private int flushAt = DEFAULT_FLUSH_AT;

    private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;

    private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;

    private int maxQueueSize = DEFAULT_MAX_QUEUE_SIZE;

    private long maxQueueBytes = DEFAULT_MAX_QUEUE_BYTES;

    private int maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;

    private int maxEventBytes = DEFAULT_MAX_EVENT_BYTES;

    private int consumerThreads = DEFAULT_CONSUMER_THREADS;

    private int maxRetries = DEFAULT_MAX_RETRIES;

    private Duration retryInitialBackoff = DEFAULT_RETRY_INITIAL_BACKOFF;

    private Duration retryMaxBackoff = DEFAULT_RETRY_MAX_BACKOFF;

    private Duration probeInterval = DEFAULT_PROBE_INTERVAL;

    private Duration maxProbeInterval = DEFAULT_MAX_PROBE_INTERVAL;

    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

    private boolean compression = DEFAULT_COMPRESSION;

    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

    private Duration flushTimeout = DEFAULT_FLUSH_TIMEOUT;

    private final Map<String, @Nullable Object> superProperties = new LinkedHashMap<>();

    private boolean disableGeoip = DEFAULT_DISABLE_GEOIP;

    private boolean historicalMigration = DEFAULT_HISTORICAL_MIGRATION;

    private boolean optOut = DEFAULT_OPT_OUT;

    private boolean debug = DEFAULT_DEBUG;

    private final List<BeforeSendHook> beforeSend = new ArrayList<>();

    private final List<PosthogClientListener> listeners = new ArrayList<>();

    private @Nullable Path spoolDirectory;

    private long spoolMaxBytes = DEFAULT_SPOOL_MAX_BYTES;

    private Duration spoolSyncInterval = DEFAULT_SPOOL_SYNC_INTERVAL;

    private @Nullable String personalApiKey;

    private boolean localEvaluation = DEFAULT_LOCAL_EVALUATION;

    private Duration flagsPollInterval = DEFAULT_FLAGS_POLL_INTERVAL;

    private Duration flagsRequestTimeout = DEFAULT_FLAGS_REQUEST_TIMEOUT;

    private boolean sendFeatureFlagEvents = DEFAULT_SEND_FEATURE_FLAG_EVENTS;

    private Duration flagsInitialLoadWait = DEFAULT_FLAGS_INITIAL_LOAD_WAIT;

    private int maxFlagDefinitionsBytes = DEFAULT_MAX_FLAG_DEFINITIONS_BYTES;

    private @Nullable Consumer<PosthogEvent> deliverTo;

    private int flagsMaxRetries = DEFAULT_FLAGS_MAX_RETRIES;

    private int flagCacheMaxSize = DEFAULT_FLAG_CACHE_MAX_SIZE;

    private Duration flagCacheTtl = DEFAULT_FLAG_CACHE_TTL;

    private @Nullable FlagDefinitionCacheProvider flagDefinitionCacheProvider;

    private Clock clock = ClientSettings.SYSTEM_CLOCK;

    private List<String> inAppPackages = List.of();

    private int maxExceptionsPerMinute = DEFAULT_MAX_EXCEPTIONS_PER_MINUTE;

    private @Nullable CaptureProtocol captureProtocol = DEFAULT_CAPTURE_PROTOCOL;

    private @Nullable CompressionEncoding compressionEncoding = DEFAULT_COMPRESSION_ENCODING;

    private int aiMaxQueueSize = DEFAULT_AI_MAX_QUEUE_SIZE;

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
     * {@link #maxBatchBytes(int)}. Default 5000: a request costs the JDK's HTTP client
     * about as much CPU as serialising several hundred events, so a backlog travels in
     * few large requests (5,000 small events are about 1.4 MB of JSON, 0.2 MB gzipped); a
     * value below {@code flushAt} means {@code flushAt}.
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
     * Sets the queue's capacity in events; a capture into a full queue drops the event
     * ({@link DropReason#QUEUE_FULL}). Default 1,000,000: the queue's heap budget
     * ({@link #maxQueueBytes(long)}) normally binds first.
     * @param maxQueueSize at least 1
     * @return this builder
     */
    public PosthogClientBuilder maxQueueSize(int maxQueueSize) {
        this.maxQueueSize = maxQueueSize;
        return this;
    }

    /**
     * Sets the heap the in-memory queue may hold, estimated per event when it is captured
     * (its properties walked, nothing serialised); a capture that would exceed it is
     * dropped ({@link DropReason#QUEUE_FULL}). Batches waiting for a retry count towards
     * it. Default 0: an eighth of the JVM's maximum heap, at most 256 MiB, which holds
     * about 180,000 small events (five short properties) at 1 GiB of heap.
     * @param maxQueueBytes 0 for the default, else at least 1 MiB
     * @return this builder
     */
    public PosthogClientBuilder maxQueueBytes(long maxQueueBytes) {
        this.maxQueueBytes = maxQueueBytes;
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
     * Sets how many consumer threads send batches in parallel. Default 2. The first sends
     * every batch as it fills or falls due; the others sleep until a full batch waits
     * while a request is in flight (a backlog), so an application that captures little
     * has one active thread. Batches that travel in parallel may arrive out of order;
     * PostHog orders events by their timestamps.
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
     * Sets the longest backoff between the retries of a batch, and the cap applied to a
     * {@code Retry-After} between retries. Default 30 seconds.
     * @param max positive
     * @return this builder
     */
    public PosthogClientBuilder retryMaxBackoff(Duration max) {
        this.retryMaxBackoff = max;
        return this;
    }

    /**
     * Sets the pause before the first probe once PostHog is unreachable. A batch that
     * used its {@link #maxRetries(int) retries} is not dropped: it goes back to the head
     * of the line, the engine stops sending and, after this pause, probes PostHog with
     * one request; each failed probe doubles the pause, up to
     * {@link #maxProbeInterval(Duration)}, and a {@code Retry-After} lengthens it within
     * that cap. The first success resumes delivery. Default 30 seconds.
     * @param interval positive
     * @return this builder
     */
    public PosthogClientBuilder probeInterval(Duration interval) {
        this.probeInterval = interval;
        return this;
    }

    /**
     * Sets the longest pause between probes while PostHog is unreachable (see
     * {@link #probeInterval(Duration)}). Default 5 minutes.
     * @param max positive
     * @return this builder
     */
    public PosthogClientBuilder maxProbeInterval(Duration max) {
        this.maxProbeInterval = max;
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
     * Sets whether the client starts opted out: capture and flag calls send nothing until
     * {@link PosthogClient#optIn()}. Default false.
     * @param optOut whether to start opted out
     * @return this builder
     */
    public PosthogClientBuilder optOut(boolean optOut) {
        this.optOut = optOut;
        return this;
    }

    /**
     * Sets whether the client starts with verbose diagnostics on (see
     * {@link PosthogClient#debug(boolean)}). Default false.
     * @param debug whether to log diagnostics
     * @return this builder
     */
    public PosthogClientBuilder debug(boolean debug) {
        this.debug = debug;
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
     * Turns on the durable spool: {@code capture} serialises each event and appends it to
     * a write-ahead log in this directory (memory-mapped, so a crash of the process
     * cannot lose it) before it returns; events are removed only after PostHog
     * acknowledged them, so they survive a crash or a restart (at least once, uuids
     * unchanged). The in-memory queue and {@link #maxQueueSize(int)} are not used then.
     * Log records ({@code captureLog}) get a spool of their own in the subdirectory
     * {@code logs} (spans stay in memory). Off by default. One process per directory (it
     * is locked).
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
     * at once ({@link DropReason#SPOOL_FULL}). The log records' spool has a quarter of
     * this on top. Default 256 MiB.
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
     * disk. A crash of the process loses no captured event; a crash of the machine loses
     * at most the events captured in the last interval. Default 100 ms.
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
    public PosthogClientBuilder deliverTo(@Nullable Consumer<PosthogEvent> consumer) {
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
     * Sets the application's packages: stack frames of classes in them (or their
     * sub-packages) are marked {@code in_app} in {@code $exception} events, which PostHog
     * uses to group exceptions and to show the application's frames first. Default none:
     * every frame outside the JDK is in-app (the Spring Boot starter defaults to the
     * application's auto-configuration packages).
     * @param packages package names, e.g. {@code com.example.shop}; null for none
     * @return this builder
     */
    public PosthogClientBuilder inAppPackages(@Nullable Collection<String> packages) {
        this.inAppPackages = (packages != null) ? new ArrayList<>(packages) : List.of();
        return this;
    }

    /**
     * Sets the wire protocol of analytics events: {@link CaptureProtocol#V0}
     * ({@code POST /batch/}, the default) or {@link CaptureProtocol#V1}
     * ({@code POST /i/v1/analytics/events}: Bearer authentication, request ids kept
     * across retries, per-event results, only rejected events resent). Flags and AI
     * events are not affected.
     * @param protocol the protocol
     * @return this builder
     */
    public PosthogClientBuilder captureProtocol(CaptureProtocol protocol) {
        this.captureProtocol = protocol;
        return this;
    }

    /**
     * Sets how many times a {@code /flags} request is retried after a transport failure
     * (timeout, connection error) or a 502/504; other statuses are never retried. The
     * retries wait 300 ms, then 600 ms, doubling each time. Default 1 (two attempts in
     * all); 0 turns retries off.
     * @param retries 0 to 10
     * @return this builder
     */
    public PosthogClientBuilder flagsMaxRetries(int retries) {
        this.flagsMaxRetries = retries;
        return this;
    }

    /**
     * Sets how many {@code $exception} events of the same exception (the same types and
     * innermost frames, or the same custom fingerprint) are sent in any minute: the storm
     * guard of a failure that repeats on every request. The rest are dropped and counted
     * as {@link DropReason#RATE_LIMITED}. Default 10.
     * @param max at least 1
     * @return this builder
     */
    public PosthogClientBuilder maxExceptionsPerMinute(int max) {
        this.maxExceptionsPerMinute = max;
        return this;
    }

    /**
     * Sets the content encoding of compressed bodies when {@link #compression(boolean)}
     * is on: {@link CompressionEncoding#GZIP} (default) or
     * {@link CompressionEncoding#ZSTD} (capture v1 only; other routes use gzip; needs
     * {@code com.github.luben:zstd-jni}, else gzip with one WARN).
     * @param encoding the encoding
     * @return this builder
     */
    public PosthogClientBuilder compressionEncoding(CompressionEncoding encoding) {
        this.compressionEncoding = encoding;
        return this;
    }

    /**
     * Sets how many evaluation contexts (a distinct id with its groups and properties)
     * keep their {@code /flags} answers (values and payloads) in an in-memory LRU cache,
     * for evaluations that are not local. A cached answer younger than
     * {@link #flagCacheTtl(Duration)} is served without a request; when {@code /flags}
     * fails, the last cached answer is served instead of the default. Default 0: no
     * cache.
     * @param maxSize 0 (no cache) or more
     * @return this builder
     */
    public PosthogClientBuilder flagCacheMaxSize(int maxSize) {
        this.flagCacheMaxSize = maxSize;
        return this;
    }

    /**
     * Sets the capacity of the AI events queue ({@link PosthogClient#captureAi}), which
     * is separate from the analytics queue; a capture into a full AI queue drops the
     * event ({@link DropReason#QUEUE_FULL}). AI events can be megabytes each, hence the
     * smaller default of 1000.
     * @param maxQueueSize at least 1
     * @return this builder
     */
    public PosthogClientBuilder aiMaxQueueSize(int maxQueueSize) {
        this.aiMaxQueueSize = maxQueueSize;
        return this;
    }

    /**
     * Sets how long a cached {@code /flags} answer is served without asking PostHog again
     * (see {@link #flagCacheMaxSize(int)}); older answers are kept as the fallback for
     * when {@code /flags} fails. Default 5 minutes; zero serves the cache only as that
     * fallback.
     * @param ttl zero or positive
     * @return this builder
     */
    public PosthogClientBuilder flagCacheTtl(Duration ttl) {
        this.flagCacheTtl = ttl;
        return this;
    }

    /**
     * Shares the local-evaluation flag definitions through an external cache, so that one
     * instance of a service loads them from PostHog and the others read them (see
     * {@link FlagDefinitionCacheProvider}). Used only with local evaluation on.
     * @param provider the provider, or null for none (the default)
     * @return this builder
     */
    public PosthogClientBuilder flagDefinitionCacheProvider(@Nullable FlagDefinitionCacheProvider provider) {
        this.flagDefinitionCacheProvider = provider;
        return this;
    }

    /**
     * Sets the clock of event timestamps (events captured without one) and of the
     * relative-date operators of local flag evaluation ({@code is_date_before "-7d"}), so
     * that flag evaluation can be tested at a fixed instant. Delivery timing (flush
     * interval, retries, TTLs) keeps the system's monotonic time. Default: the UTC system
     * clock.
     * @param clock the clock
     * @return this builder
     */
    public PosthogClientBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Sets the logs pipeline's settings ({@link PosthogClient#captureLog}): batching,
     * queue, rate cap, service, before-send hooks of log records. {@code captureLog}
     * works without this, with {@link LogsConfig#defaults()}.
     * @param config the settings
     * @return this builder
     */
    public PosthogClientBuilder logs(LogsConfig config) {
        this.logs = Objects.requireNonNull(config, "config");
        return this;
    }

    /**
     * Turns tracing on with these settings ({@link PosthogClient#startSpan}); without a
     * config, tracing is off and spans are no-ops. {@link TracesConfig#defaults()} turns
     * it on with the defaults.
     * @param config the settings, or null to turn tracing off
     * @return this builder
     */
    public PosthogClientBuilder traces(@Nullable TracesConfig config) {
        this.traces = config;
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
        return new DefaultPosthogClient(settings());
    }

    /**
     * Validates the settings: the client's own view of this builder (see
     * ClientSettings.Access).
     */
    ClientSettings settings() {
        return new ClientSettings(apiKey, host, flushAt, maxBatchSize, flushInterval, maxQueueSize, maxBatchBytes,
                maxEventBytes, consumerThreads, maxRetries, retryInitialBackoff, retryMaxBackoff, probeInterval,
                maxProbeInterval, connectTimeout, requestTimeout, compression, shutdownTimeout, flushTimeout,
                superProperties, disableGeoip, historicalMigration, optOut, debug, beforeSend, listeners,
                new FlagSettings(personalApiKey, localEvaluation, flagsPollInterval, flagsRequestTimeout,
                        sendFeatureFlagEvents, flagsInitialLoadWait, maxFlagDefinitionsBytes, flagsMaxRetries,
                        flagCacheMaxSize, flagCacheTtl, flagDefinitionCacheProvider),
                spoolDirectory, spoolMaxBytes, spoolSyncInterval, deliverTo, clock,
                new ExceptionSettings(inAppPackages, maxExceptionsPerMinute), captureProtocol, compressionEncoding,
                aiMaxQueueSize, maxQueueBytes, logs, traces);
    }

    @Override
    public String toString() {
        return "PosthogClientBuilder[host=" + host + ", apiKey=" + (apiKey == null ? "none" : "(hidden)") + "]";
    }

}
