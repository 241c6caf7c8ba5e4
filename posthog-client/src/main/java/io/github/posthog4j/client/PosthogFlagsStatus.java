package io.github.posthog4j.client;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of the client's feature-flag state, cheap enough for health checks. Contains
 * no secrets.
 *
 * @param localEvaluation whether local evaluation is configured
 * @param pollerRunning whether the {@code posthog-flags} definitions poller thread is
 * running
 * @param definitionsLoaded whether definitions have been loaded at least once (and not
 * cleared since)
 * @param flagCount how many flag definitions are loaded (0 when none)
 * @param definitionsLoadedAt when PostHog last confirmed the definitions (200 or 304), or
 * null
 * @param definitionsAge how old that confirmation is, or null when never
 * @param lastLoaderError the last definitions loading failure, or null when the last load
 * succeeded
 * @param localEvaluations evaluations decided from local definitions
 * @param remoteEvaluations evaluations asked of PostHog with local evaluation off
 * @param fallbackEvaluations evaluations asked of PostHog because local definitions could
 * not decide
 * @param failedEvaluations evaluations that returned the default because PostHog could
 * not answer (network, status, timeout, quota)
 * @param lastRemoteError the last {@code /flags} failure, or null
 * @param cacheEvaluations evaluations answered from the flag value cache: a fresh cached
 * answer (no request), or the last cached answer when {@code /flags} failed
 * @param definitionsEtag the {@code ETag} PostHog sent with the definitions in use (sent
 * back as {@code If-None-Match} on the next poll), or null when none
 */
public record PosthogFlagsStatus(boolean localEvaluation, boolean pollerRunning, boolean definitionsLoaded,
        int flagCount, @Nullable Instant definitionsLoadedAt, @Nullable Duration definitionsAge,
        @Nullable String lastLoaderError, long localEvaluations, long remoteEvaluations, long fallbackEvaluations,
        long failedEvaluations, @Nullable String lastRemoteError, long cacheEvaluations,
        @Nullable String definitionsEtag) {

    /**
     * A status without cache evaluations.
     * @param localEvaluation whether local evaluation is configured
     * @param pollerRunning whether the poller runs
     * @param definitionsLoaded whether definitions are loaded
     * @param flagCount how many flag definitions are loaded
     * @param definitionsLoadedAt when PostHog last confirmed the definitions, or null
     * @param definitionsAge how old that confirmation is, or null
     * @param lastLoaderError the last loading failure, or null
     * @param localEvaluations local evaluations
     * @param remoteEvaluations remote evaluations
     * @param fallbackEvaluations remote evaluations after an inconclusive local one
     * @param failedEvaluations failed evaluations
     * @param lastRemoteError the last {@code /flags} failure, or null
     */
    public PosthogFlagsStatus(boolean localEvaluation, boolean pollerRunning, boolean definitionsLoaded, int flagCount,
            @Nullable Instant definitionsLoadedAt, @Nullable Duration definitionsAge, @Nullable String lastLoaderError,
            long localEvaluations, long remoteEvaluations, long fallbackEvaluations, long failedEvaluations,
            @Nullable String lastRemoteError) {
        this(localEvaluation, pollerRunning, definitionsLoaded, flagCount, definitionsLoadedAt, definitionsAge,
                lastLoaderError, localEvaluations, remoteEvaluations, fallbackEvaluations, failedEvaluations,
                lastRemoteError, 0, null);
    }

    /**
     * A status without a definitions {@code ETag}.
     * @param localEvaluation whether local evaluation is configured
     * @param pollerRunning whether the poller runs
     * @param definitionsLoaded whether definitions are loaded
     * @param flagCount how many flag definitions are loaded
     * @param definitionsLoadedAt when PostHog last confirmed the definitions, or null
     * @param definitionsAge how old that confirmation is, or null
     * @param lastLoaderError the last loading failure, or null
     * @param localEvaluations local evaluations
     * @param remoteEvaluations remote evaluations
     * @param fallbackEvaluations remote evaluations after an inconclusive local one
     * @param failedEvaluations failed evaluations
     * @param lastRemoteError the last {@code /flags} failure, or null
     * @param cacheEvaluations evaluations answered from the flag value cache
     */
    public PosthogFlagsStatus(boolean localEvaluation, boolean pollerRunning, boolean definitionsLoaded, int flagCount,
            @Nullable Instant definitionsLoadedAt, @Nullable Duration definitionsAge, @Nullable String lastLoaderError,
            long localEvaluations, long remoteEvaluations, long fallbackEvaluations, long failedEvaluations,
            @Nullable String lastRemoteError, long cacheEvaluations) {
        this(localEvaluation, pollerRunning, definitionsLoaded, flagCount, definitionsLoadedAt, definitionsAge,
                lastLoaderError, localEvaluations, remoteEvaluations, fallbackEvaluations, failedEvaluations,
                lastRemoteError, cacheEvaluations, null);
    }

}
