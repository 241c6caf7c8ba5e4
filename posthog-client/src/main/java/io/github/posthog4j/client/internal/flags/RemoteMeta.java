package io.github.posthog4j.client.internal.flags;

import org.jspecify.annotations.Nullable;

/**
 * Request-level metadata of a {@code /flags} response, carried into
 * {@code $feature_flag_called} events.
 *
 * @param requestId PostHog's {@code requestId}, or null
 * @param evaluatedAt PostHog's {@code evaluatedAt} (a number or a string), or null
 * @param errorsWhileComputing whether PostHog reported {@code errorsWhileComputingFlags}
 * @param minimalFlagCalledEvents whether PostHog turned minimal
 * {@code $feature_flag_called} events on ({@code minimalFlagCalledEvents: true})
 */
record RemoteMeta(@Nullable String requestId, @Nullable Object evaluatedAt, boolean errorsWhileComputing,
        boolean minimalFlagCalledEvents) {
}
