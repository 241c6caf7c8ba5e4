package io.github.posthog4j.client.internal.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole-flag evaluation. Flag definitions, distinct ids and expected values marked
 * "python:" are taken from posthog-python's test_feature_flags.py
 * ({@code TestLocalEvaluation}); "spec:" rows are the scenarios of PostHog/sdk-specs
 * local-feature-flag-evaluator.
 */
class LocalFlagEvaluatorTests {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Marks an expected inconclusive outcome in the tables. */
    private static final String INCONCLUSIVE = "<inconclusive>";

    /** Parses definitions written with single quotes for readability. */
    static FlagDefinitions defs(String json) {
        return FlagDefinitions.parse(json.replace('\'', '"'));
    }

    static Map<String, Object> props(Object... keyValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    static FlagEvaluationContext person(String distinctId, Map<String, Object> personProperties) {
        return FlagEvaluationContext.of(distinctId, null, personProperties, null);
    }

    static void assertOutcome(FlagEvaluationResult result, Object expected) {
        if (INCONCLUSIVE.equals(expected)) {
            assertThat(result.isInconclusive()).as(result.toString()).isTrue();
            assertThat(result.value()).isNull();
        }
        else {
            assertThat(result.isInconclusive()).as(result.toString()).isFalse();
            assertThat(result.value()).isEqualTo(expected);
        }
    }

    // ---------------------------------------------------------------- conditions and
    // rollout

    static final FlagDefinitions COMPLEX = defs(
            "{'flags': [{'id': 1, 'key': 'complex-flag', 'active': true, 'filters': {'groups': ["
                    + "{'properties': [{'key': 'region', 'operator': 'exact', 'value': ['USA'], 'type': 'person'},"
                    + "                {'key': 'name', 'operator': 'exact', 'value': ['Aloha'], 'type': 'person'}],"
                    + " 'rollout_percentage': 100},"
                    + "{'properties': [{'key': 'email', 'operator': 'exact', 'value': ['a@b.com', 'b@c.com'], 'type': 'person'}],"
                    + " 'rollout_percentage': 30},"
                    + "{'properties': [{'key': 'doesnt_matter', 'operator': 'exact', 'value': ['1', '2'], 'type': 'person'}],"
                    + " 'rollout_percentage': 0}]}}]}");

    static Stream<Arguments> complexFlagCases() {
        // python: test_flag_with_complex_definition
        return Stream.of(arguments("some-distinct-id", props("region", "USA", "name", "Aloha"), true),
                arguments("some-distinct-id_within_rollout?", props("region", "USA", "email", "a@b.com"), true),
                arguments("some-distinct-id_outside_rollout?", props("region", "USA", "email", "a@b.com"),
                        INCONCLUSIVE),
                arguments("some-distinct-id", props("doesnt_matter", "1"), INCONCLUSIVE),
                arguments("some-distinct-id", props("region", "USA"), INCONCLUSIVE),
                arguments("some-distinct-id_outside_rollout?",
                        props("region", "USA", "email", "a@b.com", "name", "X", "doesnt_matter", "1"), false));
    }

    @ParameterizedTest(name = "[{index}] {0} {1} -> {2}")
    @MethodSource("complexFlagCases")
    void whenConditionsMixMissingPropertiesAndRolloutShouldDecideLikePython(String distinctId,
            Map<String, Object> properties, Object expected) {
        assertOutcome(new LocalFlagEvaluator(COMPLEX).evaluate("complex-flag", person(distinctId, properties)),
                expected);
    }

    static final String VARIANTS_ABC = "'multivariate': {'variants': ["
            + "{'key': 'first-variant', 'rollout_percentage': 50},"
            + "{'key': 'second-variant', 'rollout_percentage': 25},"
            + "{'key': 'third-variant', 'rollout_percentage': 25}]}";

    static final String EMAIL_IS_TEST = "'properties': [{'key': 'email', 'type': 'person', 'value': 'test@posthog.com', 'operator': 'exact'}]";

    static Stream<Arguments> variantOverrideCases() {
        String overrides = "{'flags': [{'key': 'beta-feature', 'active': true, 'filters': {'groups': [" + "{"
                + EMAIL_IS_TEST + ", 'rollout_percentage': 100, 'variant': 'second-variant'},"
                + "{'rollout_percentage': 50, 'variant': 'first-variant'}], " + VARIANTS_ABC + "}}]}";
        String clashing = "{'flags': [{'key': 'beta-feature', 'active': true, 'filters': {'groups': [" + "{"
                + EMAIL_IS_TEST + ", 'rollout_percentage': 100, 'variant': 'second-variant'}," + "{" + EMAIL_IS_TEST
                + ", 'rollout_percentage': 100, 'variant': 'first-variant'},"
                + "{'rollout_percentage': 50, 'variant': 'first-variant'}], " + VARIANTS_ABC + "}}]}";
        String invalid = "{'flags': [{'key': 'beta-feature', 'active': true, 'filters': {'groups': [" + "{"
                + EMAIL_IS_TEST + ", 'rollout_percentage': 100, 'variant': 'second???'},"
                + "{'rollout_percentage': 50, 'variant': 'first??'}], " + VARIANTS_ABC + "}}]}";
        Map<String, Object> testEmail = props("email", "test@posthog.com");
        // python: test_get_feature_flag_with_variant_overrides,
        // test_flag_with_clashing_variant_overrides,
        // test_flag_with_invalid_variant_overrides
        return Stream.of(arguments("override", overrides, "test_id", testEmail, "second-variant", 0),
                arguments("override", overrides, "example_id", props(), "first-variant", 1),
                arguments("clashing", clashing, "test_id", testEmail, "second-variant", 0),
                arguments("clashing", clashing, "example_id", testEmail, "second-variant", 0),
                arguments("invalid", invalid, "test_id", testEmail, "third-variant", 0),
                arguments("invalid", invalid, "example_id", props(), "second-variant", 1));
    }

    @ParameterizedTest(name = "[{index}] {0} {2} -> {4}")
    @MethodSource("variantOverrideCases")
    void whenConditionForcesVariantShouldUseItOnlyIfItIsAKnownVariant(String name, String json, String distinctId,
            Map<String, Object> properties, String expected, int conditionIndex) {
        FlagEvaluationResult result = new LocalFlagEvaluator(defs(json)).evaluate("beta-feature",
                person(distinctId, properties));
        assertThat(result.value()).isEqualTo(expected);
        assertThat(result.variant()).isEqualTo(expected);
        assertThat(result.reason()).isEqualTo(EvaluationReason.CONDITION_MATCH);
        assertThat(result.conditionIndex()).isEqualTo(conditionIndex);
    }

    @Test
    void whenSeveralConditionsMatchShouldUseTheFirstOne() {
        // python: test_conditions_evaluated_in_order
        FlagDefinitions definitions = defs("{'flags': [{'key': 'order-test', 'active': true, 'filters': {'groups': ["
                + "{'rollout_percentage': 100},"
                + "{'properties': [{'key': 'email', 'type': 'person', 'value': '@vip.com', 'operator': 'icontains'}],"
                + " 'rollout_percentage': 100, 'variant': 'vip-variant'}],"
                + "'multivariate': {'variants': [{'key': 'control', 'rollout_percentage': 100},"
                + "{'key': 'vip-variant', 'rollout_percentage': 0}]}}}]}");
        FlagEvaluationResult result = new LocalFlagEvaluator(definitions).evaluate("order-test",
                person("user123", props("email", "user@vip.com")));
        assertThat(result.value()).isEqualTo("control");
        assertThat(result.conditionIndex()).isZero();
    }

    @ParameterizedTest(name = "[{index}] rollout {0}, {1} -> {2}")
    @CsvSource({
            // spec: fractional rollout percentages are floats, never truncated or rounded
            "0.1,   user-2411, true", "0.1,   user-2912, true", "0.1,   user-83,   false", "0.1,   user-1,    false",
            "1,     user-83,   true", "100.0, user-1,    true", "100,   user-83,   true", "0.0,   user-2912, false",
            "0,     user-2411, false", "69.1,  user-1,    false", "69.2,  user-1,    true" })
    void whenRolloutPercentageIsFractionalShouldCompareAsFloat(String rollout, String distinctId, boolean expected) {
        FlagDefinitions definitions = defs(
                "{'flags': [{'key': 'fractional-rollout', 'active': true, 'filters': {'groups': ["
                        + "{'properties': [], 'rollout_percentage': " + rollout + "}]}}]}");
        assertOutcome(new LocalFlagEvaluator(definitions).evaluate("fractional-rollout",
                FlagEvaluationContext.of(distinctId)), expected);
    }

    @ParameterizedTest(name = "[{index}] early_exit={0} -> {1}")
    @CsvSource({ "true, false, OUT_OF_ROLLOUT_BOUND", "false, true, CONDITION_MATCH" })
    void whenEarlyExitIsOnShouldStopAtTheFirstRolloutMiss(boolean earlyExit, boolean expected,
            EvaluationReason reason) {
        FlagDefinitions definitions = defs("{'flags': [{'key': 'early-exit', 'active': true, 'filters': {'early_exit': "
                + earlyExit + ", 'groups': ["
                + "{'properties': [{'key': 'plan', 'value': 'pro', 'type': 'person'}], 'rollout_percentage': 10},"
                + "{'properties': [], 'rollout_percentage': 100}]}}]}");
        FlagEvaluationResult result = new LocalFlagEvaluator(definitions).evaluate("early-exit",
                person("user-1", props("plan", "pro")));
        assertThat(result.value()).isEqualTo(expected);
        assertThat(result.reason()).isEqualTo(reason);
    }

    // ---------------------------------------------------------------- flag-level
    // switches

    static Stream<Arguments> flagSwitchCases() {
        return Stream.of(
                arguments("inactive flag is false",
                        "{'key': 'f', 'active': false, 'filters': {'groups': [{'rollout_percentage': 100}]}}", false,
                        EvaluationReason.FLAG_DISABLED),
                arguments("experience continuity needs the server",
                        "{'key': 'f', 'active': true, 'ensure_experience_continuity': true,"
                                + " 'filters': {'groups': [{'rollout_percentage': 100}]}}",
                        INCONCLUSIVE, EvaluationReason.REQUIRES_SERVER_EVALUATION),
                arguments("no conditions is false", "{'key': 'f', 'active': true, 'filters': {'groups': []}}", false,
                        EvaluationReason.NO_CONDITION_MATCH),
                arguments("missing rollout is everyone",
                        "{'key': 'f', 'active': true, 'filters': {'groups': [{'properties': []}]}}", true,
                        EvaluationReason.CONDITION_MATCH),
                arguments("non-numeric rollout needs the server",
                        "{'key': 'f', 'active': true, 'filters': {'groups': [{'rollout_percentage': '50'}]}}",
                        INCONCLUSIVE, EvaluationReason.REQUIRES_SERVER_EVALUATION),
                arguments("unknown operator is inconclusive",
                        "{'key': 'f', 'active': true, 'filters': {'groups': [{'properties':"
                                + " [{'key': 'plan', 'operator': 'future_op', 'value': 'x', 'type': 'person'}]}]}}",
                        INCONCLUSIVE, EvaluationReason.INCONCLUSIVE),
                arguments("distinct_id is available as a person property",
                        "{'key': 'f', 'active': true, 'filters': {'groups': [{'properties':"
                                + " [{'key': 'distinct_id', 'operator': 'exact', 'value': 'user-123', 'type': 'person'}]}]}}",
                        true, EvaluationReason.CONDITION_MATCH),
                arguments("variant without rollout needs the server",
                        "{'key': 'f', 'active': true, 'filters': {'groups': [{'rollout_percentage': 100}],"
                                + " 'multivariate': {'variants': [{'key': 'a'}]}}}",
                        INCONCLUSIVE, EvaluationReason.REQUIRES_SERVER_EVALUATION));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("flagSwitchCases")
    void whenFlagLevelSettingsApplyShouldReturnTheExpectedOutcome(String name, String flagJson, Object expected,
            EvaluationReason reason) {
        FlagEvaluationResult result = new LocalFlagEvaluator(defs("{'flags': [" + flagJson + "]}")).evaluate("f",
                FlagEvaluationContext.of("user-123"));
        assertOutcome(result, expected);
        assertThat(result.reason()).isEqualTo(reason);
    }

    @Test
    void whenFlagIsNotDefinedShouldBeInconclusive() {
        FlagEvaluationResult result = new LocalFlagEvaluator(FlagDefinitions.empty()).evaluate("nope",
                FlagEvaluationContext.of("u"));
        assertThat(result.isInconclusive()).isTrue();
        assertThat(result.reason()).isEqualTo(EvaluationReason.FLAG_NOT_FOUND);
    }

    // ---------------------------------------------------------------- groups

    static final FlagDefinitions GROUP_FLAG = defs(
            "{'flags': [{'id': 1, 'key': 'group-flag', 'active': true, 'filters': {"
                    + "'aggregation_group_type_index': 0, 'groups': [{'properties': [{'group_type_index': 0,"
                    + " 'key': 'name', 'operator': 'exact', 'value': ['Project Name 1'], 'type': 'group'}],"
                    + " 'rollout_percentage': 35}]}}]," + " 'group_type_mapping': {'0': 'company', '1': 'project'}}");

    static Stream<Arguments> groupFlagCases() {
        // python: test_flag_group_properties
        return Stream.of(arguments("some-distinct-id", Map.of(), "Project Name 1", INCONCLUSIVE),
                arguments("some-distinct-id", Map.of("company", "amazon_without_rollout"), "Project Name 1", true),
                arguments("some-distinct-id", Map.of("company", "amazon"), "Project Name 1", false),
                arguments("some-distinct-2", Map.of("company", "amazon_without_rollout"), "Project Name 2", false),
                arguments("some-distinct-id", Map.of("project", "amazon_without_rollout"), "Project Name 1",
                        INCONCLUSIVE));
    }

    @ParameterizedTest(name = "[{index}] groups {1}, name {2} -> {3}")
    @MethodSource("groupFlagCases")
    void whenFlagAggregatesByGroupShouldUseGroupKeyAndGroupProperties(String distinctId, Map<String, String> groups,
            String companyName, Object expected) {
        FlagEvaluationContext context = FlagEvaluationContext.of(distinctId, groups, props(),
                Map.of("company", props("name", companyName)));
        FlagEvaluationResult result = new LocalFlagEvaluator(GROUP_FLAG).evaluate("group-flag", context);
        assertOutcome(result, expected);
        if (INCONCLUSIVE.equals(expected)) {
            // spec: a group flag without its group defers to PostHog (posthog-python
            // returns false here)
            assertThat(result.reason()).isEqualTo(EvaluationReason.GROUP_NOT_SUPPLIED);
        }
    }

    @Test
    void whenGroupTypeIsNotInTheMappingShouldBeInconclusive() {
        FlagDefinitions definitions = defs(
                "{'flags': [{'key': 'g', 'active': true, 'filters': {'aggregation_group_type_index': 2,"
                        + " 'groups': [{'rollout_percentage': 100}]}}], 'group_type_mapping': {'0': 'company'}}");
        FlagEvaluationResult result = new LocalFlagEvaluator(definitions).evaluate("g",
                FlagEvaluationContext.of("u", Map.of("company", "acme"), null, null));
        assertThat(result.reason()).isEqualTo(EvaluationReason.INCONCLUSIVE);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({ "acme, true", "other-key, true" })
    void whenGroupFlagHasNoPropertyFiltersShouldMatchOnGroupKeyAlone(String groupKey, boolean expected) {
        FlagDefinitions definitions = defs(
                "{'flags': [{'key': 'g', 'active': true, 'filters': {'aggregation_group_type_index': 0,"
                        + " 'groups': [{'properties': [{'key': '$group_key', 'operator': 'is_set',"
                        + " 'value': 'is_set', 'type': 'group'}], 'rollout_percentage': 100}]}}],"
                        + " 'group_type_mapping': {'0': 'company'}}");
        FlagEvaluationResult result = new LocalFlagEvaluator(definitions).evaluate("g",
                FlagEvaluationContext.of("u", Map.of("company", groupKey), null, null));
        assertOutcome(result, expected);
    }

    static final String MIXED_FLAG = "{'flags': [{'id': 1, 'key': 'mixed-flag', 'active': true, 'filters': {"
            + "'aggregation_group_type_index': null, 'groups': ["
            + "{'aggregation_group_type_index': 0, 'properties': [{'key': 'plan', 'value': 'enterprise',"
            + " 'operator': 'exact', 'type': 'group', 'group_type_index': 0}], 'rollout_percentage': 100},"
            + "{'aggregation_group_type_index': null, 'properties': [{'key': 'email',"
            + " 'value': 'test@example.com', 'operator': 'exact', 'type': 'person'}], 'rollout_percentage': 100}]}}],"
            + " 'group_type_mapping': {'0': 'company'}}";

    static Stream<Arguments> mixedTargetingCases() {
        // python: test_mixed_targeting
        return Stream.of(
                arguments("person condition matches",
                        FlagEvaluationContext.of("user-123", null, props("email", "test@example.com"), null), true),
                arguments("group condition matches",
                        FlagEvaluationContext.of("user-123", Map.of("company", "acme"), null,
                                Map.of("company", props("plan", "enterprise"))),
                        true),
                arguments("no match", FlagEvaluationContext.of("user-123", Map.of("company", "acme"),
                        props("email", "wrong@example.com"), Map.of("company", props("plan", "free"))), false));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("mixedTargetingCases")
    void whenConditionsTargetPersonsAndGroupsShouldUseEachConditionsOwnAggregation(String name,
            FlagEvaluationContext context, boolean expected) {
        assertOutcome(new LocalFlagEvaluator(defs(MIXED_FLAG)).evaluate("mixed-flag", context), expected);
    }

    @Test
    void whenOnlyGroupConditionsAndNoGroupsShouldBeFalse() {
        // python: test_mixed_targeting_only_group_conditions_no_groups_passed
        FlagDefinitions definitions = defs(
                "{'flags': [{'key': 'mixed-flag', 'active': true, 'filters': {'aggregation_group_type_index': null,"
                        + " 'groups': [{'aggregation_group_type_index': 0, 'properties': [], 'rollout_percentage': 100}]}}],"
                        + " 'group_type_mapping': {'0': 'company'}}");
        assertOutcome(new LocalFlagEvaluator(definitions).evaluate("mixed-flag", FlagEvaluationContext.of("user-123")),
                false);
    }

    // ---------------------------------------------------------------- cohorts

    static final String COHORT_FLAG = "'flags': [{'id': 2, 'key': 'beta-feature', 'active': true, 'filters': {'groups': [{'properties': ["
            + "{'key': 'region', 'operator': 'exact', 'value': ['USA'], 'type': 'person'},"
            + "{'key': 'id', 'value': 98, 'operator': null, 'type': 'cohort'}], 'rollout_percentage': 100}]}}]";

    static Stream<Arguments> cohortCases() {
        String plain = "{" + COHORT_FLAG + ", 'cohorts': {"
                + "'98': {'type': 'OR', 'values': [{'key': 'id', 'value': 1, 'type': 'cohort'},"
                + " {'key': 'nation', 'operator': 'exact', 'value': ['UK'], 'type': 'person'}]},"
                + "'1': {'type': 'AND', 'values': [{'key': 'other', 'operator': 'exact', 'value': ['thing'],"
                + " 'type': 'person'}]}}}";
        String negated = plain.replace("'type': 'person'}]}}}", "'type': 'person', 'negation': true}]}}}");
        // python: test_feature_flags_local_evaluation_for_cohorts /
        // ..._for_negated_cohorts
        return Stream.of(arguments("cohort", plain, props("region", "UK"), false),
                arguments("cohort", plain, props("region", "USA", "nation", "UK"), true),
                arguments("cohort", plain, props("region", "USA", "other", "thing"), true),
                arguments("negated", negated, props("region", "UK"), false),
                arguments("negated", negated, props("region", "USA", "nation", "UK"), true),
                arguments("negated", negated, props("region", "USA", "other", "thing"), INCONCLUSIVE),
                arguments("negated", negated, props("region", "USA", "other", "thing2"), true));
    }

    @ParameterizedTest(name = "[{index}] {0} {2} -> {3}")
    @MethodSource("cohortCases")
    void whenFlagTargetsNestedCohortsShouldEvaluateThePropertyGroups(String name, String json,
            Map<String, Object> properties, Object expected) {
        assertOutcome(
                new LocalFlagEvaluator(defs(json)).evaluate("beta-feature", person("some-distinct-id", properties)),
                expected);
    }

    static Stream<Arguments> cohortEdgeCases() {
        String flag = "'flags': [{'key': 'c', 'active': true, 'filters': {'groups': [{'properties': ["
                + "{'key': 'id', 'value': %s, 'operator': %s, 'type': 'cohort'}]}]}}]";
        String usCohort = "'1': {'type': 'AND', 'values': [{'key': 'country', 'value': 'US', 'operator': 'exact', 'type': 'person'}]}";
        return Stream.of(
                arguments("in, member", "{" + flag.formatted("1", "'in'") + ", 'cohorts': {" + usCohort + "}}", "US",
                        true),
                arguments("in, not member", "{" + flag.formatted("1", "'in'") + ", 'cohorts': {" + usCohort + "}}",
                        "UK", false),
                arguments("not_in, member", "{" + flag.formatted("1", "'not_in'") + ", 'cohorts': {" + usCohort + "}}",
                        "US", false),
                arguments("not_in, not member",
                        "{" + flag.formatted("1", "'not_in'") + ", 'cohorts': {" + usCohort + "}}", "UK", true),
                arguments("string id", "{" + flag.formatted("'1'", "null") + ", 'cohorts': {" + usCohort + "}}", "US",
                        true),
                arguments("unknown operator",
                        "{" + flag.formatted("1", "'exact_ish'") + ", 'cohorts': {" + usCohort + "}}", "US",
                        INCONCLUSIVE),
                arguments("static cohort (not sent)",
                        "{" + flag.formatted("7", "'in'") + ", 'cohorts': {" + usCohort + "}}", "US", INCONCLUSIVE),
                arguments("empty group matches", "{" + flag.formatted("1", "'in'") + ", 'cohorts': {'1': {}}}", "US",
                        true),
                arguments("malformed group",
                        "{" + flag.formatted("1", "'in'") + ", 'cohorts': {'1': {'type': 'XOR', 'values': []}}}", "US",
                        INCONCLUSIVE),
                arguments("static cohort in an OR that already matches", "{" + flag.formatted("1", "'in'")
                        + ", 'cohorts': {'1': {'type': 'OR', 'values': ["
                        + "{'key': 'country', 'value': 'US', 'type': 'person'}, {'key': 'id', 'value': 999, 'type': 'cohort'}]}}}",
                        "US", INCONCLUSIVE),
                arguments("cohort containing itself",
                        "{" + flag.formatted("1", "'in'") + ", 'cohorts': {'1': {'type': 'AND', 'values': ["
                                + "{'key': 'id', 'value': 1, 'type': 'cohort'}]}}}",
                        "US", INCONCLUSIVE),
                arguments("nested AND/OR groups",
                        "{" + flag.formatted("1", "'in'") + ", 'cohorts': {'1': {'type': 'OR', 'values': ["
                                + "{'type': 'AND', 'values': [{'key': 'country', 'value': 'US', 'type': 'person'},"
                                + " {'key': 'country', 'value': 'FR', 'type': 'person', 'negation': true}]},"
                                + "{'type': 'AND', 'values': [{'key': 'missing', 'value': 'x', 'type': 'person'}]}]}}}",
                        "US", true));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cohortEdgeCases")
    void whenCohortFilterIsUnusualShouldFollowPostHogRules(String name, String json, String country, Object expected) {
        assertOutcome(new LocalFlagEvaluator(defs(json)).evaluate("c", person("u", props("country", country))),
                expected);
    }

    @Test
    void whenCohortIsStaticShouldRequireServerEvenIfAnotherConditionMatches() {
        // python: test_fallback_to_api_when_flag_has_static_cohort_in_multi_condition
        FlagDefinitions definitions = defs("{'flags': [{'key': 'c', 'active': true, 'filters': {'groups': ["
                + "{'properties': [{'key': 'id', 'value': 404, 'type': 'cohort'}]},"
                + "{'properties': [], 'rollout_percentage': 100}]}}], 'cohorts': {}}");
        FlagEvaluationResult result = new LocalFlagEvaluator(definitions).evaluate("c", FlagEvaluationContext.of("u"));
        assertThat(result.reason()).isEqualTo(EvaluationReason.REQUIRES_SERVER_EVALUATION);
    }

    // ---------------------------------------------------------------- flag dependencies

    static final String FLAG_A = "{'id': 1, 'key': 'flag-a', 'active': true, 'filters': {'groups': [{'properties': ["
            + "{'key': 'email', 'operator': 'icontains', 'value': '@example.com', 'type': 'person'}],"
            + " 'rollout_percentage': 100}]}}";

    static String dependent(String key, String on, String value, String chain) {
        return "{'key': '" + key + "', 'active': true, 'filters': {'groups': [{'properties': [" + "{'key': '" + on
                + "', 'operator': 'flag_evaluates_to', 'value': " + value + ", 'type': 'flag',"
                + " 'dependency_chain': " + chain + "}], 'rollout_percentage': 100}]}}";
    }

    static Stream<Arguments> dependencyCases() {
        String multivariate = "{'key': 'mv', 'active': true, 'filters': {'groups': [{'properties': [{'key': 'email',"
                + " 'operator': 'icontains', 'value': '@example.com', 'type': 'person'}], 'rollout_percentage': 100}],"
                + " 'multivariate': {'variants': [{'key': 'blue', 'rollout_percentage': 100}]}}}";
        String inactive = "{'key': 'off', 'active': false, 'filters': {'groups': [{'rollout_percentage': 100}]}}";
        return Stream.of(
                // python: test_flag_dependencies_simple_chain
                arguments("true on true", List.of(FLAG_A, dependent("flag-b", "flag-a", "true", "['flag-a']")),
                        "test@example.com", true),
                arguments("true on false", List.of(FLAG_A, dependent("flag-b", "flag-a", "true", "['flag-a']")),
                        "test@other.com", false),
                arguments("false on false", List.of(FLAG_A, dependent("flag-b", "flag-a", "false", "['flag-a']")),
                        "test@other.com", true),
                arguments("false on true", List.of(FLAG_A, dependent("flag-b", "flag-a", "false", "['flag-a']")),
                        "test@example.com", false),
                arguments("inactive is false", List.of(inactive, dependent("flag-b", "off", "false", "['off']")),
                        "x@y.z", true),
                arguments("variant name", List.of(multivariate, dependent("flag-b", "mv", "'blue'", "['mv']")),
                        "test@example.com", true),
                arguments("variant case-sensitive",
                        List.of(multivariate, dependent("flag-b", "mv", "'Blue'", "['mv']")), "test@example.com",
                        false),
                arguments("variant counts as true", List.of(multivariate, dependent("flag-b", "mv", "true", "['mv']")),
                        "test@example.com", true),
                arguments("chain of three",
                        List.of(FLAG_A, dependent("flag-b", "flag-a", "true", "['flag-a']"),
                                dependent("flag-c", "flag-b", "true", "['flag-a', 'flag-b']")),
                        "test@example.com", true),
                // python: test_flag_dependencies_missing_flag / circular_dependency /
                // malformed_chain
                arguments("missing dependency", List.of(dependent("flag-b", "ghost", "true", "['ghost']")),
                        "test@example.com", INCONCLUSIVE),
                arguments("circular (empty chain)", List.of(dependent("flag-b", "flag-a", "true", "[]"), FLAG_A),
                        "test@example.com", INCONCLUSIVE),
                arguments("cycle the server did not flag",
                        List.of(dependent("flag-b", "flag-c", "true", "['flag-c']"),
                                dependent("flag-c", "flag-b", "true", "['flag-b']")),
                        "test@example.com", INCONCLUSIVE),
                arguments("inconclusive dependency",
                        List.of(FLAG_A, dependent("flag-b", "flag-a", "true", "['flag-a']")), null, INCONCLUSIVE),
                // python: ..._null_value / _missing_key /
                // _wrong_operator_no_match_locally
                arguments("null value is no match",
                        List.of(FLAG_A, dependent("flag-b", "flag-a", "null", "['flag-a']")), "test@example.com",
                        false),
                arguments("empty key is no match", List.of(FLAG_A, dependent("flag-b", "", "true", "['flag-a']")),
                        "test@example.com", false),
                arguments("wrong operator is no match", List.of(FLAG_A,
                        dependent("flag-b", "flag-a", "true", "['flag-a']").replace("flag_evaluates_to", "exact")),
                        "test@example.com", false));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("dependencyCases")
    void whenFlagDependsOnAnotherFlagShouldEvaluateTheChain(String name, List<String> flags, String email,
            Object expected) {
        FlagDefinitions definitions = defs("{'flags': [" + String.join(",", flags) + "]}");
        Map<String, Object> properties = email == null ? props() : props("email", email);
        assertOutcome(new LocalFlagEvaluator(definitions).evaluate("flag-b", person("test-user", properties)),
                expected);
    }

    @Test
    void whenDependencyChainIsDeepShouldReachTheLeaf() {
        FlagDefinitions definitions = defs(
                "{'flags': [" + FLAG_A + "," + dependent("flag-b", "flag-a", "true", "['flag-a']") + ","
                        + dependent("flag-c", "flag-b", "true", "['flag-a', 'flag-b']") + "]}");
        LocalFlagEvaluator evaluator = new LocalFlagEvaluator(definitions);
        assertThat(evaluator.evaluate("flag-c", person("u", props("email", "a@example.com"))).value()).isEqualTo(true);
        assertThat(evaluator.evaluate("flag-c", person("u", props("email", "a@other.com"))).value()).isEqualTo(false);
    }

    // ---------------------------------------------------------------- bucketing by
    // device id

    static final FlagDefinitions DEVICE_FLAG = defs(
            "{'flags': [{'key': 'device-flag', 'active': true, 'bucketing_identifier': 'device_id',"
                    + " 'filters': {'groups': [{'properties': [], 'rollout_percentage': 50}]}}]}");

    @ParameterizedTest(name = "[{index}] {0} / {1} -> {2}")
    @CsvSource({
            // hash(device-flag.device-abc) = 0.117; hash of user-a / user-b > 0.73
            "user-a, device-abc, true", "user-b, device-abc, true", "user-a, ,           <inconclusive>" })
    void whenFlagBucketsByDeviceShouldHashTheDeviceId(String distinctId, String deviceId, String expected) {
        FlagEvaluationResult result = new LocalFlagEvaluator(DEVICE_FLAG).evaluate("device-flag",
                FlagEvaluationContext.of(distinctId).withDeviceId(deviceId));
        assertOutcome(result, INCONCLUSIVE.equals(expected) ? INCONCLUSIVE : Boolean.valueOf(expected));
    }

    // ---------------------------------------------------------------- payloads and bulk
    // evaluation

    static final FlagDefinitions PAYLOADS = defs("{'flags': ["
            + "{'key': 'bool-flag', 'active': true, 'filters': {'groups': [{'rollout_percentage': 100}],"
            + " 'payloads': {'true': '{\\'some\\': \\'payload\\'}'}}},"
            + "{'key': 'checkout', 'active': true, 'filters': {'groups': [{'rollout_percentage': 100}],"
            + " 'multivariate': {'variants': [{'key': 'blue', 'rollout_percentage': 100}]},"
            + " 'payloads': {'blue': '{\\'copy\\': \\'new\\'}'}}},"
            + "{'key': 'plain-text', 'active': true, 'filters': {'groups': [{'rollout_percentage': 100}],"
            + " 'payloads': {'true': 'not json'}}},"
            + "{'key': 'off-flag', 'active': false, 'filters': {'payloads': {'false': '42'}}},"
            + "{'key': 'future-op-flag', 'active': true, 'filters': {'groups': [{'properties':"
            + " [{'key': 'plan', 'operator': 'some_future_op', 'value': 'x', 'type': 'person'}]}]}},"
            + "{'key': 'beta-ui', 'active': true, 'filters': {'groups': [{'properties':"
            + " [{'key': 'distinct_id', 'value': ['user-123'], 'type': 'person'}], 'rollout_percentage': 100}]}}"
            + "]}");

    @ParameterizedTest(name = "[{index}] {0} -> {1} / {2}")
    @CsvSource(delimiter = '|',
            value = { "bool-flag  | true  | {\"some\":\"payload\"}", "checkout   | blue  | {\"copy\":\"new\"}", // spec:
                                                                                                                // payload
                                                                                                                // resolved
                                                                                                                // from
                                                                                                                // the
                                                                                                                // matched
                                                                                                                // variant
                    "plain-text | true  | \"not json\"", "off-flag   | false | 42", "beta-ui    | true  | " })
    void whenFlagMatchesShouldResolvePayloadForTheMatchedValue(String key, String value, String payloadJson) {
        FlagEvaluationResult result = new LocalFlagEvaluator(PAYLOADS).evaluate(key,
                FlagEvaluationContext.of("user-123"));
        assertThat(String.valueOf(result.value())).isEqualTo(value);
        assertThat(result.payloadJson()).isEqualTo(payloadJson);
    }

    @Test
    void whenAllFlagsAreEvaluatedShouldIsolateInconclusiveFlags() throws Exception {
        // spec: an unrecognized operator defers only that flag to remote evaluation
        AllFlagsResult all = new LocalFlagEvaluator(PAYLOADS).evaluateAll(FlagEvaluationContext.of("user-123"));
        assertThat(all.needsRemoteFallback()).isTrue();
        assertThat(all.inconclusive()).containsOnlyKeys("future-op-flag");
        assertThat(all.values()).containsExactly(Map.entry("bool-flag", true), Map.entry("checkout", "blue"),
                Map.entry("plain-text", true), Map.entry("off-flag", false), Map.entry("beta-ui", true));
        assertThat(all.payloads().get("checkout")).isEqualTo(MAPPER.readTree("{\"copy\":\"new\"}"));
        assertThat(all.payloads()).doesNotContainKey("beta-ui");
    }

    @Test
    void whenOnlySomeFlagsAreRequestedShouldEvaluateThoseAndReportUnknownKeys() {
        AllFlagsResult all = new LocalFlagEvaluator(PAYLOADS).evaluateAll(FlagEvaluationContext.of("someone-else"),
                List.of("beta-ui", "ghost"));
        assertThat(all.values()).containsExactly(Map.entry("beta-ui", false));
        assertThat(all.inconclusive()).containsOnlyKeys("ghost");
        assertThat(all.inconclusive().get("ghost").reason()).isEqualTo(EvaluationReason.FLAG_NOT_FOUND);
    }

    @Test
    void whenPayloadIsLookedUpDirectlyShouldUseTheValueAsKey() throws Exception {
        LocalFlagEvaluator evaluator = new LocalFlagEvaluator(PAYLOADS);
        assertThat(evaluator.payloadFor("checkout", "blue")).isEqualTo(MAPPER.readTree("{\"copy\":\"new\"}"));
        assertThat(evaluator.payloadFor("off-flag", false).asInt()).isEqualTo(42);
        assertThat(evaluator.payloadFor("bool-flag", false)).isNull();
        assertThat(evaluator.payloadFor("ghost", true)).isNull();
    }

}
