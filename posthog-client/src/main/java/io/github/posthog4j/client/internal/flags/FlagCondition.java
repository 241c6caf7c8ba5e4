package io.github.posthog4j.client.internal.flags;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One condition group of a flag ({@code filters.groups[]}). Conditions are evaluated in
 * order; the first one that matches decides the value.
 *
 * @param properties the property filters, all of which must match, kept as raw JSON
 * objects
 * @param rolloutPercentage rollout in percent, {@code null} when absent (everyone who
 * matches the properties is in)
 * @param rolloutMalformed {@code true} when {@code rollout_percentage} is present but not
 * a number
 * @param variant the variant forced by this condition, or {@code null}
 * @param aggregationOverridden {@code true} when the condition sets its own
 * {@code aggregation_group_type_index} (mixed person/group targeting)
 * @param aggregationGroupTypeIndex the condition's own group type index, may be
 * {@code null} even when overridden (an explicit person condition in a group flag)
 */
record FlagCondition(List<JsonNode> properties, Double rolloutPercentage, boolean rolloutMalformed, String variant,
        boolean aggregationOverridden, Integer aggregationGroupTypeIndex) {

    public FlagCondition {
        properties = List.copyOf(properties);
    }
}
