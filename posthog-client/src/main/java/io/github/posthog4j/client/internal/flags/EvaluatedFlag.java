package io.github.posthog4j.client.internal.flags;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.FeatureFlagResult;
import io.github.posthog4j.client.FlagSource;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One evaluated flag, with what its {@code $feature_flag_called} event needs.
 *
 * @param result what the caller sees (with the value's source)
 * @param payload the decoded payload, or null
 * @param local whether it was evaluated locally
 * @param remote the {@code /flags} entry it came from, or null when local
 * @param hasExperiment whether the flag is linked to an experiment, or null when unknown
 * @param minimalEvents whether the source of the value turned minimal
 * {@code $feature_flag_called} events on
 */
record EvaluatedFlag(FeatureFlagResult result, @Nullable JsonNode payload, boolean local, @Nullable RemoteFlag remote,
        @Nullable Boolean hasExperiment, boolean minimalEvents) {

    EvaluatedFlag(FeatureFlagResult result, @Nullable JsonNode payload, boolean local, @Nullable RemoteFlag remote) {
        this(result, payload, local, remote, (remote != null) ? remote.hasExperiment() : null, false);
    }

    /**
     * @param r a conclusive local result
     * @param definitions the definitions it came from
     */
    static EvaluatedFlag local(FlagEvaluationResult r, FlagDefinitions definitions) {
        JsonNode payload = r.payload();
        FeatureFlagResult result = new FeatureFlagResult(r.key(), r.isEnabled(), r.variant(),
                (payload != null) ? payload.toString() : null, r.reason().name().toLowerCase(Locale.ROOT), true,
                FlagSource.LOCAL);
        FeatureFlag def = definitions.flag(r.key());
        return new EvaluatedFlag(result, payload, true, null, (def != null) ? def.hasExperiment() : null,
                definitions.minimalFlagCalledEvents());
    }

    /**
     * @param f a flag of a {@code /flags} answer
     * @param meta the answer's metadata, or null
     * @param source {@link FlagSource#REMOTE} or {@link FlagSource#FALLBACK}
     */
    static EvaluatedFlag remote(RemoteFlag f, @Nullable RemoteMeta meta, FlagSource source) {
        FeatureFlagResult result = new FeatureFlagResult(f.key(), f.enabled(), f.variant(),
                (f.payload() != null) ? f.payload().toString() : null, f.reason(), false, source);
        return new EvaluatedFlag(result, f.payload(), false, f, f.hasExperiment(),
                meta != null && meta.minimalFlagCalledEvents());
    }

    /**
     * @param newSource the source to report
     * @return this flag with another source
     */
    EvaluatedFlag from(FlagSource newSource) {
        return (result.source() == newSource) ? this
                : new EvaluatedFlag(result.withSource(newSource), payload, local, remote, hasExperiment, minimalEvents);
    }

}
