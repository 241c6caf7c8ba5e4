package io.github.posthog4j.client.internal.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlagDefinitionsTests {

    private static final String DOCUMENT = ("{'flags': [{'id': 7, 'team_id': 1, 'key': 'beta', 'active': true, 'deleted': false,"
            + " 'ensure_experience_continuity': false, 'new_field': {'x': 1},"
            + " 'filters': {'aggregation_group_type_index': 1, 'early_exit': true,"
            + "  'groups': [{'properties': [{'key': 'plan', 'value': 'pro', 'type': 'group'}],"
            + "   'rollout_percentage': 12.5, 'variant': 'b', 'aggregation_group_type_index': null}],"
            + "  'multivariate': {'variants': [{'key': 'a', 'rollout_percentage': 40},"
            + "   {'key': 'b', 'name': 'B', 'rollout_percentage': 60}]},"
            + "  'payloads': {'a': '{\\'x\\': 1}', 'b': null}, 'super_groups': []}},"
            + " {'key': 42}, 'junk', {'key': 'no-filters', 'active': true}],"
            + " 'group_type_mapping': {'0': 'company', '1': 'project'},"
            + " 'cohorts': {'3': {'type': 'OR', 'values': []}}, 'unknown_top_level': true}")
        .replace('\'', '"');

    @Test
    void whenDocumentIsValidShouldExposeTypedFlags() {
        FlagDefinitions definitions = FlagDefinitions.parse(DOCUMENT.getBytes(StandardCharsets.UTF_8));

        assertThat(definitions.flags()).extracting(FeatureFlag::key).containsExactly("beta", "no-filters");
        FeatureFlag beta = definitions.flag("beta");
        assertThat(beta.id()).isEqualTo(7L);
        assertThat(beta.active()).isTrue();
        assertThat(beta.earlyExit()).isTrue();
        assertThat(beta.aggregationGroupTypeIndex()).isEqualTo(1);
        assertThat(beta.isMultivariate()).isTrue();
        assertThat(beta.variants()).containsExactly(new FlagVariant("a", 40.0), new FlagVariant("b", 60.0));
        assertThat(beta.payloads()).containsOnlyKeys("a");
        FlagCondition condition = beta.conditions().get(0);
        assertThat(condition.rolloutPercentage()).isEqualTo(12.5);
        assertThat(condition.variant()).isEqualTo("b");
        assertThat(condition.aggregationOverridden()).isTrue();
        assertThat(condition.aggregationGroupTypeIndex()).isNull();
        assertThat(condition.properties()).hasSize(1);
        assertThat(definitions.groupTypeMapping()).containsEntry("1", "project");
        assertThat(definitions.cohorts()).containsOnlyKeys("3");
        assertThat(definitions.flag("no-filters").conditions()).isEmpty();
    }

    @Test
    void whenStringAndBytesAreParsedShouldAgree() {
        assertThat(FlagDefinitions.parse(DOCUMENT).flagsByKey().keySet())
            .isEqualTo(FlagDefinitions.parse(DOCUMENT.getBytes(StandardCharsets.UTF_8)).flagsByKey().keySet());
    }

    @Test
    void whenCollectionsAreMissingShouldBeEmpty() {
        FlagDefinitions definitions = FlagDefinitions.parse("{}");
        assertThat(definitions.isEmpty()).isTrue();
        assertThat(definitions.groupTypeMapping()).isEmpty();
        assertThat(definitions.cohorts()).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = { "", "not json", "{\"flags\": [", "[]", "42", "null" })
    void whenDocumentIsMalformedShouldThrowParseException(String json) {
        assertThatThrownBy(() -> FlagDefinitions.parse(json)).isInstanceOf(FlagDefinitionsParseException.class)
            .hasMessageContaining("definitions");
    }

}
