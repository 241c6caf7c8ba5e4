package io.github.posthog4j.client.internal.flags;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One read of a flag that may be reported with a {@code $feature_flag_called} event.
 *
 * @param distinctId the person
 * @param key the flag key
 * @param flag the evaluated flag, or null when unknown
 * @param meta the {@code /flags} metadata of a remote evaluation, or null
 * @param error the {@code $feature_flag_error} value, or null
 * @param groups the groups of the evaluation
 * @param disableGeoip the call's own GeoIP choice, or null
 */
record FlagCall(String distinctId, String key, @Nullable EvaluatedFlag flag, @Nullable RemoteMeta meta,
        @Nullable String error, Map<String, String> groups, @Nullable Boolean disableGeoip) {
}
