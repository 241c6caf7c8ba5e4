package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.BeforeSendHook;
import io.github.posthog4j.client.CaptureProtocol;
import io.github.posthog4j.client.CompressionEncoding;
import io.github.posthog4j.client.LogsConfig;
import io.github.posthog4j.client.PosthogClientBuilder;
import io.github.posthog4j.client.PosthogClientListener;
import io.github.posthog4j.client.PosthogConfigurationException;
import io.github.posthog4j.client.PosthogEvent;
import io.github.posthog4j.client.TracesConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The validated, immutable settings of a client, built from a
 * {@link PosthogClientBuilder}: the canonical constructor validates and normalises,
 * naming the setting at fault in a {@link PosthogConfigurationException}.
 * {@link #toString()} never shows a key. Internal API.
 *
 * @param apiKey the project API key
 * @param host the base URL, without a trailing slash
 * @param flushAt queued events that trigger a request
 * @param maxBatchSize most events per request (at least flushAt)
 * @param flushInterval longest wait before a batch is sent
 * @param maxQueueSize queue capacity (handed-back batches count towards it)
 * @param maxBatchBytes largest request body before compression
 * @param maxEventBytes largest serialised event
 * @param consumerThreads consumer threads
 * @param maxRetries retries of a batch after its first attempt, before the engine backs
 * off
 * @param retryInitialBackoff first retry's backoff
 * @param retryMaxBackoff retry backoff cap
 * @param probeInterval pause before the first probe once PostHog is unreachable
 * @param maxProbeInterval cap of the pause between probes while PostHog is unreachable
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout whole-request timeout
 * @param compression whether to gzip
 * @param shutdownTimeout bound of close and stop
 * @param flushTimeout bound of flush
 * @param superProperties initial super properties
 * @param disableGeoip whether to send {@code $geoip_disable}
 * @param historicalMigration whether to mark batches as historical migration
 * @param optOut whether the client starts opted out
 * @param debug whether the client starts with verbose diagnostics
 * @param beforeSend hooks in order
 * @param listeners listeners
 * @param flags feature-flag settings
 * @param spoolDirectory the spool directory, or null when the spool is off
 * @param spoolMaxBytes the spool's disk budget
 * @param spoolSyncInterval the spool's group-commit window
 * @param directDelivery where accepted events go instead of PostHog (tests), or null
 * @param clock the clock of event timestamps and relative-date flag filters
 * @param exceptions error-tracking settings
 * @param captureProtocol the wire protocol of analytics events
 * @param compressionEncoding the content encoding of compressed bodies
 * @param aiMaxQueueSize the capacity of the AI events queue
 * @param maxQueueBytes the in-memory queue's heap budget, 0 for the default
 * ({@link #queueByteBound()})
 * @param logs the logs pipeline's settings
 * @param traces the traces pipeline's settings, or null when tracing is off
 */
public record ClientSettings(String apiKey, String host, int flushAt, int maxBatchSize, Duration flushInterval,
        int maxQueueSize, int maxBatchBytes, int maxEventBytes, int consumerThreads, int maxRetries,
        Duration retryInitialBackoff, Duration retryMaxBackoff, Duration probeInterval, Duration maxProbeInterval,
        Duration connectTimeout, Duration requestTimeout, boolean compression, Duration shutdownTimeout,
        Duration flushTimeout, Map<String, @Nullable Object> superProperties, boolean disableGeoip,
        boolean historicalMigration, boolean optOut, boolean debug, List<BeforeSendHook> beforeSend,
        List<PosthogClientListener> listeners, FlagSettings flags, @Nullable Path spoolDirectory, long spoolMaxBytes,
        Duration spoolSyncInterval, @Nullable Consumer<PosthogEvent> directDelivery, Clock clock,
        ExceptionSettings exceptions, CaptureProtocol captureProtocol, CompressionEncoding compressionEncoding,
        int aiMaxQueueSize, long maxQueueBytes, LogsConfig logs, @Nullable TracesConfig traces) {

    private static final long MIN_QUEUE_BYTES = 1024 * 1024;

    private static final long MAX_DEFAULT_QUEUE_BYTES = 256L * 1024 * 1024;

    /** The default clock: UTC system time. */
    public static final Clock SYSTEM_CLOCK = Clock.systemUTC();

    /**
     * Validates and normalises.
     * @throws PosthogConfigurationException naming the setting at fault
     */
    @SuppressWarnings("NullAway")
    public ClientSettings {
        if (apiKey == null || apiKey.isBlank()) {
            throw new PosthogConfigurationException("apiKey",
                    "The PostHog project API key is missing: set it to your project's key (phc_...).");
        }
        if (!apiKey.equals(apiKey.strip())) {
            throw new PosthogConfigurationException("apiKey",
                    "The PostHog project API key has leading or trailing white space: remove it.");
        }
        host = normalizeHost(host);
        positive("flushAt", flushAt);
        positive("maxBatchSize", maxBatchSize);
        maxBatchSize = Math.max(flushAt, maxBatchSize);
        positive("flushInterval", flushInterval);
        positive("maxQueueSize", maxQueueSize);
        if (maxQueueBytes != 0 && maxQueueBytes < MIN_QUEUE_BYTES) {
            throw new PosthogConfigurationException("maxQueueBytes", "maxQueueBytes is " + maxQueueBytes
                    + ": it must be 0 (an eighth of the maximum heap, at most 256 MiB) or at least 1048576 (1 MiB).");
        }
        if (maxBatchBytes < 64 * 1024) {
            throw new PosthogConfigurationException("maxBatchBytes",
                    "maxBatchBytes is " + maxBatchBytes + ": it must be at least 65536 (64 KiB).");
        }
        if (maxEventBytes < 1024 || maxEventBytes > maxBatchBytes - 1024) {
            throw new PosthogConfigurationException("maxEventBytes", "maxEventBytes is " + maxEventBytes
                    + ": it must be at least 1024 and at least 1 KiB below maxBatchBytes (" + maxBatchBytes + ").");
        }
        if (consumerThreads < 1 || consumerThreads > 16) {
            throw new PosthogConfigurationException("consumerThreads",
                    "consumerThreads is " + consumerThreads + ": it must be between 1 and 16.");
        }
        if (maxRetries < 0) {
            throw new PosthogConfigurationException("maxRetries",
                    "maxRetries is " + maxRetries + ": it must be 0 or more.");
        }
        positive("retryInitialBackoff", retryInitialBackoff);
        positive("retryMaxBackoff", retryMaxBackoff);
        positive("probeInterval", probeInterval);
        positive("maxProbeInterval", maxProbeInterval);
        positive("connectTimeout", connectTimeout);
        positive("requestTimeout", requestTimeout);
        positive("shutdownTimeout", shutdownTimeout);
        positive("flushTimeout", flushTimeout);
        if (spoolDirectory != null) {
            if (spoolMaxBytes < 1024 * 1024) {
                throw new PosthogConfigurationException("spoolMaxBytes",
                        "spoolMaxBytes is " + spoolMaxBytes + ": it must be at least 1048576 (1 MiB).");
            }
            positive("spoolSyncInterval", spoolSyncInterval);
        }
        if (captureProtocol == null) {
            throw new PosthogConfigurationException("captureProtocol",
                    "The capture protocol is missing: set it to v0 (POST /batch/) or v1 (POST /i/v1/analytics/events).");
        }
        if (compressionEncoding == null) {
            throw new PosthogConfigurationException("compressionEncoding",
                    "The compression encoding is missing: set it to gzip or zstd.");
        }
        positive("aiMaxQueueSize", aiMaxQueueSize);
        superProperties = Collections.unmodifiableMap(new LinkedHashMap<>(superProperties));
        beforeSend = List.copyOf(beforeSend);
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(exceptions, "exceptions");
        Objects.requireNonNull(logs, "logs");
    }

    /**
     * Checks and normalises a host URL.
     * @param host the configured host
     * @return the host without trailing slashes
     * @throws PosthogConfigurationException if it is not an absolute http(s) URL
     */
    public static String normalizeHost(@Nullable String host) {
        if (host == null || host.isBlank()) {
            throw new PosthogConfigurationException("host", "The PostHog host is missing: set it to e.g. "
                    + "https://us.i.posthog.com or https://eu.i.posthog.com.");
        }
        String trimmed = host.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(trimmed);
        }
        catch (IllegalArgumentException ex) {
            throw new PosthogConfigurationException("host",
                    "The PostHog host '" + host + "' is not a valid URL: set it to e.g. https://us.i.posthog.com.");
        }
        String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getQuery() != null
                || uri.getFragment() != null) {
            throw new PosthogConfigurationException("host", "The PostHog host '" + host
                    + "' is not an absolute http(s) URL: set it to e.g. https://us.i.posthog.com.");
        }
        return trimmed;
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new PosthogConfigurationException(name, name + " is " + value + ": it must be at least 1.");
        }
    }

    private static void positive(String name, @Nullable Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new PosthogConfigurationException(name, name + " is " + value + ": it must be a positive duration.");
        }
    }

    /**
     * @param directory the spool directory, or null
     * @param maxBytes the spool's disk budget
     * @param syncInterval the group-commit window
     * @return these settings with other spool settings
     */
    public ClientSettings withSpool(@Nullable Path directory, long maxBytes, Duration syncInterval) {
        return new ClientSettings(apiKey, host, flushAt, maxBatchSize, flushInterval, maxQueueSize, maxBatchBytes,
                maxEventBytes, consumerThreads, maxRetries, retryInitialBackoff, retryMaxBackoff, probeInterval,
                maxProbeInterval, connectTimeout, requestTimeout, compression, shutdownTimeout, flushTimeout,
                superProperties, disableGeoip, historicalMigration, optOut, debug, beforeSend, listeners, flags,
                directory, maxBytes, syncInterval, directDelivery, clock, exceptions, captureProtocol,
                compressionEncoding, aiMaxQueueSize, maxQueueBytes, logs, traces);
    }

    /**
     * @return the in-memory queue's heap budget in bytes: {@link #maxQueueBytes()}, or by
     * default an eighth of the JVM's maximum heap, at least 1 MiB and at most 256 MiB
     */
    public long queueByteBound() {
        if (maxQueueBytes > 0) {
            return maxQueueBytes;
        }
        return Math.max(MIN_QUEUE_BYTES, Math.min(Runtime.getRuntime().maxMemory() / 8, MAX_DEFAULT_QUEUE_BYTES));
    }

    /**
     * @return whether the host is plain http to something other than loopback
     */
    public boolean insecureRemoteHost() {
        URI uri = URI.create(host);
        String h = uri.getHost();
        return "http".equalsIgnoreCase(uri.getScheme())
                && !("localhost".equalsIgnoreCase(h) || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1"));
    }

    /**
     * Validates a builder's settings.
     * @param builder the builder
     * @return its settings
     * @throws PosthogConfigurationException naming the setting at fault
     */
    public static ClientSettings of(PosthogClientBuilder builder) {
        return Access.reader.apply(builder);
    }

    /**
     * @return whether event timestamps come from a clock other than the system's
     */
    public boolean customClock() {
        return clock != SYSTEM_CLOCK;
    }

    @Override
    public String toString() {
        return "ClientSettings[host=" + host + ", apiKey=(hidden), flushAt=" + flushAt + ", flushInterval="
                + flushInterval + ", maxQueueSize=" + maxQueueSize + ", consumerThreads=" + consumerThreads
                + ", maxRetries=" + maxRetries + ", compression=" + compression + ", captureProtocol="
                + captureProtocol.tag() + ", optOut=" + optOut + ", flags=" + flags + ", spool="
                + ((spoolDirectory != null) ? spoolDirectory : "off") + "]";
    }

    /**
     * Lets the internals read a builder's settings although the builder has no public
     * method for it (its settings are not public API). The builder installs the reader
     * when its class initialises, which happens before any builder exists. Internal API.
     */
    public static final class Access {

        private static volatile Function<PosthogClientBuilder, ClientSettings> reader = (b) -> {
            throw new IllegalStateException("PosthogClientBuilder did not initialise");
        };

        private static volatile boolean installed;

        private Access() {
        }

        /**
         * Installs the reader; only the first call counts.
         * @param settingsReader the builder's own settings method
         */
        public static synchronized void install(Function<PosthogClientBuilder, ClientSettings> settingsReader) {
            if (!installed) {
                reader = settingsReader;
                installed = true;
            }
        }

    }

}
