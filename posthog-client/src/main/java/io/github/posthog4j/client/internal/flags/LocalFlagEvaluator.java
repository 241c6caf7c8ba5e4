package io.github.posthog4j.client.internal.flags;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Evaluates feature flags from a {@link FlagDefinitions} snapshot, the way PostHog would.
 *
 * <p>
 * Usage: build one evaluator per definitions snapshot (cheap; it holds no per-call state)
 * and call {@link #evaluate(String, FlagEvaluationContext)} or
 * {@link #evaluateAll(FlagEvaluationContext)}. Results are never thrown: an
 * {@linkplain FlagEvaluationResult#isInconclusive() inconclusive} result means "ask
 * PostHog's {@code /flags}".
 *
 * <p>
 * Like PostHog's SDKs, the evaluator adds {@code distinct_id} to the person properties
 * and {@code $group_key} to the properties of every supplied group unless the caller
 * supplied them.
 *
 * <p>
 * Instances are immutable and thread-safe. Internal API.
 */
public final class LocalFlagEvaluator {

    /** Marks a dependency that was tried and could not be decided. */
    private static final Object UNDECIDED = new Object();

    private final FlagDefinitions definitions;

    private final Clock clock;

    /**
     * An evaluator on the system UTC clock (used by relative date filters such as
     * {@code -7d}).
     */
    public LocalFlagEvaluator(FlagDefinitions definitions) {
        this(definitions, Clock.systemUTC());
    }

    /** An evaluator with an explicit clock for relative date filters. */
    public LocalFlagEvaluator(FlagDefinitions definitions, Clock clock) {
        this.definitions = Objects.requireNonNull(definitions, "definitions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The snapshot this evaluator reads. */
    public FlagDefinitions definitions() {
        return definitions;
    }

    /**
     * Evaluates the flag {@code flagKey} for {@code context}. A flag missing from the
     * definitions is inconclusive ({@link EvaluationReason#FLAG_NOT_FOUND}).
     */
    public FlagEvaluationResult evaluate(String flagKey, FlagEvaluationContext context) {
        FeatureFlag flag = definitions.flag(flagKey);
        if (flag == null) {
            return FlagEvaluationResult.inconclusive(flagKey, EvaluationReason.FLAG_NOT_FOUND,
                    "Flag not in local definitions");
        }
        return evaluate(flag, context);
    }

    /**
     * Evaluates {@code flag} (normally one of this snapshot's flags) for {@code context}.
     */
    FlagEvaluationResult evaluate(FeatureFlag flag, FlagEvaluationContext context) {
        try {
            return new Pass(context.deviceId()).computeFlag(flag, context);
        }
        catch (InconclusiveMatchException e) {
            return FlagEvaluationResult.inconclusive(flag.key(), e.requiresServerEvaluation()
                    ? EvaluationReason.REQUIRES_SERVER_EVALUATION : EvaluationReason.INCONCLUSIVE, e.getMessage());
        }
        catch (RuntimeException e) {
            // Local evaluation must never break the caller; PostHog can still answer.
            return FlagEvaluationResult.inconclusive(flag.key(), EvaluationReason.REQUIRES_SERVER_EVALUATION,
                    "Local evaluation failed: " + e);
        }
    }

    /** Evaluates every flag of the snapshot for {@code context}. */
    public AllFlagsResult evaluateAll(FlagEvaluationContext context) {
        return evaluateAll(context, null);
    }

    /**
     * Evaluates the flags whose keys are in {@code flagKeys} ({@code null} or empty: all
     * flags). Requested keys missing from the snapshot are reported as inconclusive.
     */
    public AllFlagsResult evaluateAll(FlagEvaluationContext context, Collection<String> flagKeys) {
        Set<String> wanted = flagKeys == null || flagKeys.isEmpty() ? null : new HashSet<>(flagKeys);
        Map<String, FlagEvaluationResult> results = new LinkedHashMap<>();
        Map<String, FlagEvaluationResult> inconclusive = new LinkedHashMap<>();
        for (FeatureFlag flag : definitions.flags()) {
            if (wanted != null && !wanted.contains(flag.key())) {
                continue;
            }
            FlagEvaluationResult result = evaluate(flag, context);
            results.remove(flag.key());
            inconclusive.remove(flag.key());
            (result.isInconclusive() ? inconclusive : results).put(flag.key(), result);
        }
        if (wanted != null) {
            for (String key : flagKeys) {
                if (definitions.flag(key) == null) {
                    inconclusive.put(key, FlagEvaluationResult.inconclusive(key, EvaluationReason.FLAG_NOT_FOUND,
                            "Flag not in local definitions"));
                }
            }
        }
        return new AllFlagsResult(results, inconclusive);
    }

    /**
     * The payload stored for {@code value} of flag {@code flagKey}
     * ({@code true}/{@code false} look up {@code "true"}/{@code "false"}, a variant looks
     * up its key), decoded; {@code null} when none.
     */
    public JsonNode payloadFor(String flagKey, Object value) {
        FeatureFlag flag = definitions.flag(flagKey);
        return flag == null ? null : FlagEvaluationResult.decodePayload(rawPayload(flag, value));
    }

    private static JsonNode rawPayload(FeatureFlag flag, Object value) {
        if (value == null) {
            return null;
        }
        String lookup = value instanceof Boolean b ? b.toString() : value.toString();
        return flag.payloads().get(lookup);
    }

    private static FlagEvaluationResult conclusive(FeatureFlag flag, Match match) {
        return FlagEvaluationResult.conclusive(flag.key(), match.value, match.reason, match.conditionIndex,
                rawPayload(flag, match.value));
    }

    /**
     * Bucketing value of a person flag: the distinct id, or the device id when the flag
     * asks for it.
     */
    private static String bucketingValue(FeatureFlag flag, String distinctId, String deviceId)
            throws InconclusiveMatchException {
        if ("device_id".equals(flag.bucketingIdentifier())) {
            if (deviceId == null || deviceId.isEmpty()) {
                throw new InconclusiveMatchException("Flag requires device_id for bucketing but none was provided");
            }
            return deviceId;
        }
        return distinctId;
    }

    /**
     * The variant picked by the variant hash, or {@code null} when it falls outside all
     * variants.
     */
    static String matchingVariant(FeatureFlag flag, String bucketingValue) throws InconclusiveMatchException {
        double hash = FlagHashing.hash(flag.key(), bucketingValue, FlagHashing.VARIANT_SALT);
        double min = 0;
        List<double[]> bounds = new ArrayList<>();
        for (FlagVariant variant : flag.variants()) {
            if (variant.rolloutPercentage() == null) {
                throw InconclusiveMatchException.requiresServer(
                        "Variant " + variant.key() + " of flag " + flag.key() + " has no rollout_percentage");
            }
            double max = min + variant.rolloutPercentage() / 100;
            bounds.add(new double[] { min, max });
            min = max;
        }
        for (int i = 0; i < bounds.size(); i++) {
            if (hash >= bounds.get(i)[0] && hash < bounds.get(i)[1]) {
                return flag.variants().get(i).key();
            }
        }
        return null;
    }

    private enum ConditionMatch {

        MATCH, NO_MATCH, OUT_OF_ROLLOUT_BOUND

    }

    private record Match(Object value, EvaluationReason reason, Integer conditionIndex) {
    }

    /** State of one evaluation: the dependency cache and the cycle guards. */
    private final class Pass {

        private final String deviceId;

        private final Map<String, Object> dependencyCache = new HashMap<>();

        private final Set<String> flagsInProgress = new HashSet<>();

        private final Set<String> cohortsInProgress = new HashSet<>();

        Pass(String deviceId) {
            this.deviceId = deviceId;
        }

        FlagEvaluationResult computeFlag(FeatureFlag flag, FlagEvaluationContext context)
                throws InconclusiveMatchException {
            if (flag.ensureExperienceContinuity()) {
                throw InconclusiveMatchException.requiresServer("Flag has experience continuity enabled");
            }
            if (!flag.active()) {
                return conclusive(flag, new Match(Boolean.FALSE, EvaluationReason.FLAG_DISABLED, null));
            }
            Map<String, String> mapping = definitions.groupTypeMapping();
            Map<String, Map<String, Object>> groupProperties = context.localGroupProperties();
            flagsInProgress.add(flag.key());
            Integer aggregation = flag.aggregationGroupTypeIndex();
            if (aggregation != null) {
                String groupName = mapping.get(aggregation.toString());
                if (groupName == null) {
                    throw new InconclusiveMatchException("Flag has unknown group type index " + aggregation);
                }
                String groupKey = context.groups().get(groupName);
                if (groupKey == null) {
                    return FlagEvaluationResult.inconclusive(flag.key(), EvaluationReason.GROUP_NOT_SUPPLIED,
                            "Can't compute group flag without group '" + groupName + "'");
                }
                Map<String, Object> focused = groupProperties.get(groupName);
                if (focused == null) {
                    throw new InconclusiveMatchException("Flag has no group properties for group '" + groupName + "'");
                }
                return conclusive(flag,
                        matchFlag(flag, groupKey, focused, groupKey, mapping, context.groups(), groupProperties));
            }
            String bucketing = bucketingValue(flag, context.distinctId(), deviceId);
            return conclusive(flag, matchFlag(flag, context.distinctId(), context.localPersonProperties(), bucketing,
                    mapping, context.groups(), groupProperties));
        }

        private Match matchFlag(FeatureFlag flag, String distinctId, Map<String, Object> properties,
                String bucketingValue, Map<String, String> mapping, Map<String, String> groups,
                Map<String, Map<String, Object>> groupProperties) throws InconclusiveMatchException {
            List<String> variantKeys = new ArrayList<>();
            for (FlagVariant variant : flag.variants()) {
                if (variant.key() == null) {
                    throw InconclusiveMatchException
                        .requiresServer("Flag " + flag.key() + " has a variant without key");
                }
                variantKeys.add(variant.key());
            }
            Integer flagAggregation = flag.aggregationGroupTypeIndex();
            boolean inconclusive = false;
            List<FlagCondition> conditions = flag.conditions();
            for (int i = 0; i < conditions.size(); i++) {
                FlagCondition condition = conditions.get(i);
                try {
                    Integer conditionAggregation = condition.aggregationOverridden()
                            ? condition.aggregationGroupTypeIndex() : flagAggregation;
                    Map<String, Object> effectiveProperties = properties;
                    String effectiveBucketing = bucketingValue;
                    if (!Objects.equals(conditionAggregation, flagAggregation) && conditionAggregation != null) {
                        // Mixed targeting: this condition aggregates by a group while the
                        // flag does not.
                        String groupName = mapping.get(conditionAggregation.toString());
                        if (groupName == null || !groups.containsKey(groupName)) {
                            continue;
                        }
                        if (!groupProperties.containsKey(groupName)) {
                            inconclusive = true;
                            continue;
                        }
                        effectiveProperties = groupProperties.get(groupName);
                        effectiveBucketing = groups.get(groupName);
                    }
                    ConditionMatch result = conditionMatch(flag, distinctId, condition, effectiveProperties,
                            effectiveBucketing);
                    if (result == ConditionMatch.MATCH) {
                        String override = condition.variant();
                        String variant = override != null && !override.isEmpty() && variantKeys.contains(override)
                                ? override : matchingVariant(flag, effectiveBucketing);
                        Object value = variant == null || variant.isEmpty() ? Boolean.TRUE : variant;
                        return new Match(value, EvaluationReason.CONDITION_MATCH, i);
                    }
                    if (flag.earlyExit() && result == ConditionMatch.OUT_OF_ROLLOUT_BOUND) {
                        return new Match(Boolean.FALSE, EvaluationReason.OUT_OF_ROLLOUT_BOUND, i);
                    }
                }
                catch (InconclusiveMatchException e) {
                    if (e.requiresServerEvaluation()) {
                        throw e;
                    }
                    inconclusive = true;
                }
            }
            if (inconclusive) {
                throw new InconclusiveMatchException(
                        "Can't determine if feature flag is enabled or not with given properties");
            }
            return new Match(Boolean.FALSE, EvaluationReason.NO_CONDITION_MATCH, null);
        }

        private ConditionMatch conditionMatch(FeatureFlag flag, String distinctId, FlagCondition condition,
                Map<String, Object> properties, String bucketingValue) throws InconclusiveMatchException {
            if (!condition.properties().isEmpty()) {
                for (JsonNode property : condition.properties()) {
                    if (!property.isObject()) {
                        throw InconclusiveMatchException.requiresServer("Property filter must be an object");
                    }
                    String type = property.path("type").asText(null);
                    boolean matches;
                    if ("cohort".equals(type)) {
                        matches = matchCohort(property, properties, distinctId);
                    }
                    else if ("flag".equals(type)) {
                        matches = matchFlagDependency(property, properties, distinctId);
                    }
                    else {
                        matches = PropertyMatcher.match(property, properties, clock);
                    }
                    if (!matches) {
                        return ConditionMatch.NO_MATCH;
                    }
                }
                if (condition.rolloutPercentage() == null && !condition.rolloutMalformed()) {
                    return ConditionMatch.MATCH;
                }
            }
            if (condition.rolloutMalformed()) {
                throw InconclusiveMatchException
                    .requiresServer("Flag " + flag.key() + " has a non-numeric rollout_percentage");
            }
            Double rollout = condition.rolloutPercentage();
            if (rollout != null && FlagHashing.hash(flag.key(), bucketingValue, "") > rollout / 100) {
                return ConditionMatch.OUT_OF_ROLLOUT_BOUND;
            }
            return ConditionMatch.MATCH;
        }

        private boolean matchCohort(JsonNode property, Map<String, Object> properties, String distinctId)
                throws InconclusiveMatchException {
            String cohortId = PyValues.str(PyValues.fromJson(property.get("value")));
            JsonNode cohort = definitions.cohorts().get(cohortId);
            if (cohort == null) {
                throw InconclusiveMatchException
                    .requiresServer("cohort " + cohortId + " not found in local cohorts - likely a static cohort");
            }
            if (!cohortsInProgress.add(cohortId)) {
                throw InconclusiveMatchException.requiresServer("Cohort " + cohortId + " contains itself");
            }
            boolean matches;
            try {
                matches = matchPropertyGroup(cohort, properties, distinctId);
            }
            finally {
                cohortsInProgress.remove(cohortId);
            }
            JsonNode operatorNode = property.get("operator");
            String operator = operatorNode == null || operatorNode.isNull() || operatorNode.asText().isEmpty() ? "exact"
                    : operatorNode.asText();
            return switch (operator) {
                case "exact", "in" -> matches;
                case "not_in" -> !matches;
                default -> throw new InconclusiveMatchException("Unsupported cohort operator: " + operator);
            };
        }

        private boolean matchPropertyGroup(JsonNode group, Map<String, Object> properties, String distinctId)
                throws InconclusiveMatchException {
            if (group != null && group.isObject() && group.isEmpty()) {
                return true; // PostHog's canonical empty property group
            }
            if (group == null || !group.isObject()) {
                throw InconclusiveMatchException.requiresServer("Cohort property group must be an object");
            }
            String type = group.path("type").isTextual() ? group.get("type").asText() : null;
            if (!"AND".equals(type) && !"OR".equals(type)) {
                throw InconclusiveMatchException.requiresServer("Cohort property group type must be AND or OR");
            }
            boolean isAnd = type.equals("AND");
            JsonNode values = group.get("values");
            if (values == null || !values.isArray()) {
                throw InconclusiveMatchException.requiresServer("Cohort property group values must be a list");
            }
            Boolean decisive = null;
            boolean undecided = false;
            // No short-circuit: a static cohort anywhere in the group must still force
            // server evaluation.
            for (JsonNode entry : values) {
                try {
                    if (!entry.isObject()) {
                        throw InconclusiveMatchException
                            .requiresServer("Cohort property group entry must be an object");
                    }
                    String entryType = entry.path("type").isTextual() ? entry.get("type").asText() : null;
                    boolean matches;
                    boolean negation;
                    if (entry.isEmpty() || entry.has("values") || "AND".equals(entryType) || "OR".equals(entryType)) {
                        matches = matchPropertyGroup(entry, properties, distinctId);
                        negation = false;
                    }
                    else {
                        if ("cohort".equals(entryType)) {
                            matches = matchCohort(entry, properties, distinctId);
                        }
                        else if ("flag".equals(entryType)) {
                            matches = matchFlagDependency(entry, properties, distinctId);
                        }
                        else {
                            matches = PropertyMatcher.match(entry, properties, clock);
                        }
                        negation = truthy(entry.get("negation"));
                    }
                    boolean effective = matches != negation;
                    if (isAnd && !effective) {
                        decisive = false;
                    }
                    else if (!isAnd && effective) {
                        decisive = true;
                    }
                }
                catch (InconclusiveMatchException e) {
                    if (e.requiresServerEvaluation()) {
                        throw e;
                    }
                    undecided = true;
                }
            }
            if (decisive != null) {
                return decisive;
            }
            if (undecided) {
                throw new InconclusiveMatchException("Can't match cohort without a given cohort property value");
            }
            return isAnd;
        }

        private boolean matchFlagDependency(JsonNode property, Map<String, Object> properties, String distinctId)
                throws InconclusiveMatchException {
            JsonNode keyNode = property.get("key");
            String flagKey = keyNode == null || keyNode.isNull() ? null : keyNode.asText();
            JsonNode expected = property.get("value");
            JsonNode operatorNode = property.get("operator");
            String operator = operatorNode == null ? "exact" : operatorNode.isNull() ? null : operatorNode.asText();
            // A malformed condition is a definite no-match, as on PostHog's servers.
            if (!"flag_evaluates_to".equals(operator)) {
                return false;
            }
            if (flagKey == null || flagKey.isEmpty() || expected == null || expected.isNull()) {
                return false;
            }
            JsonNode chain = property.get("dependency_chain");
            if (chain == null) {
                throw new InconclusiveMatchException(
                        "Flag dependency on '" + flagKey + "' is missing its dependency_chain");
            }
            if (!chain.isArray()) {
                throw InconclusiveMatchException
                    .requiresServer("Flag dependency on '" + flagKey + "' has a malformed dependency_chain");
            }
            if (chain.isEmpty()) {
                throw new InconclusiveMatchException("Circular dependency detected for flag '" + flagKey + "'");
            }
            for (JsonNode member : chain) {
                String dependencyKey = PyValues.str(PyValues.fromJson(member));
                if (dependencyCache.containsKey(dependencyKey)) {
                    continue;
                }
                FeatureFlag dependency = definitions.flag(dependencyKey);
                if (dependency == null) {
                    dependencyCache.put(dependencyKey, UNDECIDED);
                    throw new InconclusiveMatchException(
                            "Cannot evaluate flag dependency '" + dependencyKey + "' - flag not found locally");
                }
                if (!dependency.active()) {
                    dependencyCache.put(dependencyKey, Boolean.FALSE);
                    continue;
                }
                if (!flagsInProgress.add(dependencyKey)) {
                    throw InconclusiveMatchException
                        .requiresServer("Flag dependency cycle through '" + dependencyKey + "'");
                }
                try {
                    // A dependency that is a group flag keeps bucketing by the current
                    // (group) key.
                    String bucketing = dependency.aggregationGroupTypeIndex() != null ? distinctId
                            : bucketingValue(dependency, distinctId, deviceId);
                    Match result = matchFlag(dependency, distinctId, properties, bucketing, Map.of(), Map.of(),
                            Map.of());
                    dependencyCache.put(dependencyKey, result.value);
                }
                catch (InconclusiveMatchException e) {
                    if (e.requiresServerEvaluation()) {
                        throw e;
                    }
                    dependencyCache.put(dependencyKey, UNDECIDED);
                    throw new InconclusiveMatchException(
                            "Cannot evaluate flag dependency '" + dependencyKey + "': " + e.getMessage());
                }
                finally {
                    flagsInProgress.remove(dependencyKey);
                }
            }
            Object actual = dependencyCache.get(flagKey);
            if (actual == null || actual == UNDECIDED) {
                throw new InconclusiveMatchException(
                        "Flag dependency '" + flagKey + "' was inconclusive or not evaluated");
            }
            return matchesDependencyValue(expected, actual);
        }

    }

    /**
     * Whether a dependency's evaluated value satisfies the expected value of a flag
     * condition.
     */
    static boolean matchesDependencyValue(JsonNode expected, Object actual) {
        if (actual instanceof String variant && !variant.isEmpty()) {
            if (expected.isBoolean()) {
                return expected.asBoolean(); // any variant counts as "true"
            }
            return expected.isTextual() && variant.equals(expected.asText()); // variants
                                                                              // are
                                                                              // case-sensitive
        }
        if (actual instanceof Boolean b && expected.isBoolean()) {
            return b == expected.asBoolean();
        }
        return false;
    }

    private static boolean truthy(JsonNode node) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isNumber()) {
            return node.asDouble() != 0;
        }
        if (node.isTextual()) {
            return !node.asText().isEmpty();
        }
        return !node.isEmpty();
    }

}
