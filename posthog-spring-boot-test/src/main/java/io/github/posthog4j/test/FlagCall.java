package io.github.posthog4j.test;

import io.github.posthog4j.client.FlagOptions;
import org.jspecify.annotations.Nullable;

/**
 * One feature flag call the application made, answered by the {@link PosthogRecorder}.
 *
 * @param method the client method, e.g. {@code isFeatureEnabled}; reads of a snapshot
 * returned by {@code evaluateFlags} are {@code evaluateFlags.isEnabled},
 * {@code evaluateFlags.getFlag}, {@code evaluateFlags.getFlagPayload} and
 * {@code evaluateFlags.getResult}
 * @param key the flag key, or null for calls about every flag ({@code getAllFlags},
 * {@code evaluateFlags})
 * @param distinctId the distinct id the flag was asked for
 * @param value the answer: {@link Boolean}, a variant {@link String}, a payload, a map of
 * every flag, or null when the flag is not set
 * @param options the evaluation options passed, or {@link FlagOptions#none()}
 */
public record FlagCall(String method, @Nullable String key, @Nullable String distinctId, @Nullable Object value,
        FlagOptions options) {

    @Override
    public String toString() {
        return method + "(" + ((key != null) ? "'" + key + "', " : "") + "'" + distinctId + "') = " + value;
    }

}
