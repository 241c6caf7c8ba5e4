package io.github.posthog4j.client.internal.flags;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.FeatureFlagResult;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One evaluated flag, with what its {@code $feature_flag_called} event needs.
 *
 * @param result what the caller sees
 * @param payload the decoded payload, or null
 * @param local whether it was evaluated locally
 * @param remote the {@code /flags} entry it came from, or null when local
 */
record EvaluatedFlag(FeatureFlagResult result, @Nullable JsonNode payload, boolean local, @Nullable RemoteFlag remote) {

    static EvaluatedFlag local(FlagEvaluationResult r) {
        JsonNode payload = r.payload();
        FeatureFlagResult result = new FeatureFlagResult(r.key(), r.isEnabled(), r.variant(),
                (payload != null) ? payload.toString() : null, r.reason().name().toLowerCase(Locale.ROOT), true);
        return new EvaluatedFlag(result, payload, true, null);
    }

    /**
     * PostHog answers false for a group flag evaluated without its group: no need to ask.
     */
    static EvaluatedFlag groupNotSupplied(String key) {
        return new EvaluatedFlag(new FeatureFlagResult(key, false, null, null, "group_not_supplied", true), null, true,
                null);
    }

    static EvaluatedFlag remote(RemoteFlag f) {
        FeatureFlagResult result = new FeatureFlagResult(f.key(), f.enabled(), f.variant(),
                (f.payload() != null) ? f.payload().toString() : null, f.reason(), false);
        return new EvaluatedFlag(result, f.payload(), false, f);
    }

}
