package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.PosthogClientBuilder;
import io.github.posthog4j.client.PosthogConfigurationException;
import io.github.posthog4j.client.internal.exceptions.InAppFrames;
import java.util.List;

/**
 * The validated error-tracking settings of a client: the canonical constructor validates,
 * naming the setting at fault. Internal API.
 *
 * @param inAppPackages the application's packages: their frames are {@code in_app} (none:
 * every frame outside the JDK)
 * @param maxPerMinute the most {@code $exception} events of one fingerprint per minute
 */
public record ExceptionSettings(List<String> inAppPackages, int maxPerMinute) {

    /**
     * Validates and normalises.
     * @throws PosthogConfigurationException naming the setting at fault
     */
    public ExceptionSettings {
        inAppPackages = InAppFrames.of(inAppPackages).packages();
        if (maxPerMinute < 1) {
            throw new PosthogConfigurationException("maxExceptionsPerMinute",
                    "maxExceptionsPerMinute is " + maxPerMinute
                            + ": it must be at least 1 (the same exception is sent at most that many times "
                            + "a minute).");
        }
    }

    /**
     * @return the defaults
     */
    public static ExceptionSettings defaults() {
        return new ExceptionSettings(List.of(), PosthogClientBuilder.DEFAULT_MAX_EXCEPTIONS_PER_MINUTE);
    }

}
