package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.FlagDefinitionCacheProvider;
import io.github.posthog4j.client.PosthogClientBuilder;
import io.github.posthog4j.client.PosthogConfigurationException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The validated feature-flag settings of a client: the canonical constructor validates,
 * naming the setting at fault. {@link #toString()} never shows the personal API key.
 * Internal API.
 *
 * @param personalApiKey the personal API key (or project secret key) that may read flag
 * definitions, or null
 * @param localEvaluation whether to poll flag definitions and evaluate flags in process
 * @param pollInterval how often definitions are polled
 * @param requestTimeout bound of one {@code /flags} or definitions request
 * @param sendFeatureFlagEvents whether flag reads capture {@code $feature_flag_called} by
 * default
 * @param initialLoadWait how long {@code start()} waits at most for the first definitions
 * load (zero: not at all)
 * @param maxDefinitionsBytes largest definitions response accepted
 * @param maxRetries retries of a {@code /flags} request after a transport failure or a
 * 502/504 (0 to {@value #MAX_FLAGS_RETRIES})
 * @param cacheMaxSize most evaluation contexts whose {@code /flags} answers are cached
 * (0: no cache)
 * @param cacheTtl how long a cached {@code /flags} answer is served without a request
 * (zero: only as the fallback when {@code /flags} fails)
 * @param definitionCacheProvider the shared definitions cache, or null
 */
public record FlagSettings(@Nullable String personalApiKey, boolean localEvaluation, Duration pollInterval,
        Duration requestTimeout, boolean sendFeatureFlagEvents, Duration initialLoadWait, int maxDefinitionsBytes,
        int maxRetries, int cacheMaxSize, Duration cacheTtl,
        @Nullable FlagDefinitionCacheProvider definitionCacheProvider) {

    /** Most retries of one {@code /flags} request. */
    public static final int MAX_FLAGS_RETRIES = 10;

    /**
     * Validates and normalises (a blank personal key means none).
     * @throws PosthogConfigurationException naming the setting at fault
     */
    public FlagSettings {
        personalApiKey = (personalApiKey == null || personalApiKey.isBlank()) ? null : personalApiKey.strip();
        if (localEvaluation && personalApiKey == null) {
            throw new PosthogConfigurationException("personalApiKey", "Local evaluation of feature flags needs a "
                    + "personal API key (or project secret key): set personalApiKey, or turn localEvaluation off.");
        }
        if (pollInterval == null || pollInterval.compareTo(Duration.ofMillis(10)) < 0) {
            throw new PosthogConfigurationException("flagsPollInterval",
                    "flagsPollInterval is " + pollInterval + ": it must be at least 10 ms.");
        }
        if (requestTimeout == null || requestTimeout.isZero() || requestTimeout.isNegative()) {
            throw new PosthogConfigurationException("flagsRequestTimeout",
                    "flagsRequestTimeout is " + requestTimeout + ": it must be a positive duration.");
        }
        if (initialLoadWait == null || initialLoadWait.isNegative()) {
            throw new PosthogConfigurationException("flagsInitialLoadWait",
                    "flagsInitialLoadWait is " + initialLoadWait + ": it must be zero or positive.");
        }
        if (maxDefinitionsBytes < 1024) {
            throw new PosthogConfigurationException("maxFlagDefinitionsBytes",
                    "maxFlagDefinitionsBytes is " + maxDefinitionsBytes + ": it must be at least 1024.");
        }
        if (maxRetries < 0 || maxRetries > MAX_FLAGS_RETRIES) {
            throw new PosthogConfigurationException("flagsMaxRetries", "flagsMaxRetries is " + maxRetries
                    + ": it must be between 0 (no retry) and " + MAX_FLAGS_RETRIES + ".");
        }
        if (cacheMaxSize < 0) {
            throw new PosthogConfigurationException("flagCacheMaxSize",
                    "flagCacheMaxSize is " + cacheMaxSize + ": it must be 0 (no cache) or more.");
        }
        if (cacheTtl == null || cacheTtl.isNegative()) {
            throw new PosthogConfigurationException("flagCacheTtl",
                    "flagCacheTtl is " + cacheTtl + ": it must be zero or positive.");
        }
    }

    /**
     * @return the defaults: remote evaluation only
     */
    public static FlagSettings defaults() {
        return new FlagSettings(null, PosthogClientBuilder.DEFAULT_LOCAL_EVALUATION,
                PosthogClientBuilder.DEFAULT_FLAGS_POLL_INTERVAL, PosthogClientBuilder.DEFAULT_FLAGS_REQUEST_TIMEOUT,
                PosthogClientBuilder.DEFAULT_SEND_FEATURE_FLAG_EVENTS,
                PosthogClientBuilder.DEFAULT_FLAGS_INITIAL_LOAD_WAIT,
                PosthogClientBuilder.DEFAULT_MAX_FLAG_DEFINITIONS_BYTES, PosthogClientBuilder.DEFAULT_FLAGS_MAX_RETRIES,
                PosthogClientBuilder.DEFAULT_FLAG_CACHE_MAX_SIZE, PosthogClientBuilder.DEFAULT_FLAG_CACHE_TTL, null);
    }

    /**
     * @return whether the definitions poller should run
     */
    public boolean pollerEnabled() {
        return localEvaluation && personalApiKey != null;
    }

    @Override
    public String toString() {
        return "FlagSettings[localEvaluation=" + localEvaluation + ", personalApiKey="
                + ((personalApiKey == null) ? "none" : "(hidden)") + ", pollInterval=" + pollInterval
                + ", requestTimeout=" + requestTimeout + ", sendFeatureFlagEvents=" + sendFeatureFlagEvents
                + ", maxRetries=" + maxRetries + ", cacheMaxSize=" + cacheMaxSize + ", cacheTtl=" + cacheTtl
                + ", definitionCacheProvider=" + ((definitionCacheProvider != null) ? "set" : "none") + "]";
    }

}
