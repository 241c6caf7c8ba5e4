package io.github.posthog4j.client.internal.flags;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one {@code /flags} evaluation.
 *
 * @param flags the flags PostHog returned, by key (empty on failure)
 * @param meta the response metadata, or null on failure
 * @param error null when PostHog answered, else the {@code $feature_flag_error} code
 * ({@code timeout}, {@code connection_error}, {@code api_error_<status>},
 * {@code quota_limited}, {@code unknown_error}, {@code client_closed})
 */
record RemoteAnswer(Map<String, RemoteFlag> flags, @Nullable RemoteMeta meta, @Nullable String error) {

    static RemoteAnswer failed(String error) {
        return new RemoteAnswer(Map.of(), null, error);
    }

}
