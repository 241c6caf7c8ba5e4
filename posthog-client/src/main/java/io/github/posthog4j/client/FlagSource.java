package io.github.posthog4j.client;

/**
 * Where the value of a feature flag came from. The same names tag the
 * {@code posthog.flags.evaluations} metric ({@link #tag()}).
 */
public enum FlagSource {

    /** Computed in process from the polled definitions (local evaluation). */
    LOCAL("local"),

    /** Answered by PostHog's {@code /flags} endpoint, local evaluation being off. */
    REMOTE("remote"),

    /**
     * Served from the client's flag value cache (see
     * {@link PosthogClientBuilder#flagCacheMaxSize(int)}): a fresh cached answer, or the
     * last cached answer when {@code /flags} failed.
     */
    CACHE("cache"),

    /**
     * Answered by PostHog's {@code /flags} endpoint because the local definitions could
     * not decide (a missing property, a static cohort, a group flag without its group,
     * ...).
     */
    FALLBACK("fallback");

    private final String tag;

    FlagSource(String tag) {
        this.tag = tag;
    }

    /**
     * @return the lower-case name used in metric tags and JSON
     */
    public String tag() {
        return this.tag;
    }

}
