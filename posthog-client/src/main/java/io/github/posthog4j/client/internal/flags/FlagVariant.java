package io.github.posthog4j.client.internal.flags;

/**
 * One variant of a multivariate flag ({@code filters.multivariate.variants[]}).
 *
 * @param key the variant key returned as the flag value
 * @param rolloutPercentage share of the bucketing space in percent, or {@code null} when
 * the definition carries no usable number (evaluating such a flag is inconclusive)
 */
record FlagVariant(String key, Double rolloutPercentage) {
}
