package io.github.posthog4j.openfeature;

import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.Structure;
import dev.openfeature.sdk.Value;
import io.github.posthog4j.client.FlagOptions;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Turns an OpenFeature evaluation context into PostHog flag options. */
final class Contexts {

    private Contexts() {
    }

    /**
     * @param ctx the evaluation context
     * @param key the flag evaluated (the only one asked for)
     * @return the options: groups, person properties, group properties
     * @throws IllegalArgumentException when an attribute has the wrong shape
     */
    static FlagOptions options(@Nullable EvaluationContext ctx, String key) {
        FlagOptions.Builder b = FlagOptions.builder().flagKeys(List.of(key));
        if (ctx == null) {
            return b.build();
        }
        Value groups = ctx.getValue(PosthogProvider.GROUPS);
        if (groups != null && !groups.isNull()) {
            for (Map.Entry<String, Value> e : structure(PosthogProvider.GROUPS, groups).asMap().entrySet()) {
                Value v = e.getValue();
                if (v == null || !(v.isString() || v.isNumber())) {
                    throw new IllegalArgumentException(
                            "The 'groups' attribute maps a group type to a group key (a string); '" + e.getKey()
                                    + "' is " + v);
                }
                b.group(e.getKey(), v.isString() ? v.asString() : String.valueOf(v.asObject()));
            }
        }
        Value person = ctx.getValue(PosthogProvider.PERSON_PROPERTIES);
        if (person != null && !person.isNull()) {
            structure(PosthogProvider.PERSON_PROPERTIES, person).asObjectMap()
                .forEach((k, v) -> b.personProperty(k, v));
        }
        Value groupProps = ctx.getValue(PosthogProvider.GROUP_PROPERTIES);
        if (groupProps != null && !groupProps.isNull()) {
            for (Map.Entry<String, Value> e : structure(PosthogProvider.GROUP_PROPERTIES, groupProps).asMap()
                .entrySet()) {
                structure(PosthogProvider.GROUP_PROPERTIES + "." + e.getKey(), e.getValue()).asObjectMap()
                    .forEach((k, v) -> b.groupProperty(e.getKey(), k, v));
            }
        }
        return b.build();
    }

    private static Structure structure(String name, Value value) {
        if (value == null || !value.isStructure()) {
            throw new IllegalArgumentException("The '" + name + "' attribute must be a structure, not " + value);
        }
        return value.asStructure();
    }

}
