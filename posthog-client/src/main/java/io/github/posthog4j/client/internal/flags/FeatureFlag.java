package io.github.posthog4j.client.internal.flags;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One flag definition of the local-evaluation document. Only the fields that local
 * evaluation needs are typed; {@link #raw()} keeps the whole JSON object.
 *
 * @param id the flag's numeric id, or {@code null}
 * @param key the flag key
 * @param active whether the flag is switched on
 * @param ensureExperienceContinuity whether the flag persists values per person (not
 * evaluable locally)
 * @param aggregationGroupTypeIndex group type index the flag aggregates by, {@code null}
 * for person flags
 * @param conditions the condition groups, in evaluation order
 * @param variants the multivariate variants, empty for boolean flags
 * @param payloads payloads by value ({@code "true"}, {@code "false"} or a variant key),
 * as stored in the definition (usually JSON-encoded strings)
 * @param earlyExit whether a condition that matched its properties but missed its rollout
 * ends the evaluation with {@code false}
 * @param bucketingIdentifier {@code "device_id"} when the flag buckets by device id,
 * otherwise {@code null} or {@code "distinct_id"}
 * @param raw the flag's JSON object as received
 */
record FeatureFlag(Long id, String key, boolean active, boolean ensureExperienceContinuity,
        Integer aggregationGroupTypeIndex, List<FlagCondition> conditions, List<FlagVariant> variants,
        Map<String, JsonNode> payloads, boolean earlyExit, String bucketingIdentifier, JsonNode raw) {

    public FeatureFlag {
        conditions = List.copyOf(conditions);
        variants = List.copyOf(variants);
        payloads = Map.copyOf(payloads);
    }

    /**
     * @return whether the flag is linked to an experiment ({@code has_experiment}), or
     * null when the definition does not say
     */
    Boolean hasExperiment() {
        JsonNode n = (raw != null) ? raw.get("has_experiment") : null;
        return (n != null && n.isBoolean()) ? n.booleanValue() : null;
    }

    /** Whether the flag has multivariate variants. */
    public boolean isMultivariate() {
        return !variants.isEmpty();
    }
}
