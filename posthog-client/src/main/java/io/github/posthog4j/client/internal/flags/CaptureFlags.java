package io.github.posthog4j.client.internal.flags;

import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.internal.Log;
import io.github.posthog4j.client.internal.Texts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The flags of a capture that asked for them ({@code sendFeatureFlags}, or a snapshot
 * passed with {@code flags(...)}): {@code $feature/<key>} for each flag and
 * {@code $active_feature_flags} (sorted keys of the flags that are on), never overriding
 * a property the caller set. Holds no state: callable from any thread. Never throws.
 */
final class CaptureFlags {

    private static final Log log = Log.CLIENT;

    private final BiFunction<String, FlagOptions, Map<String, Object>> allValues;

    private final BooleanSupplier definitionsLoaded;

    /**
     * @param allValues evaluates every flag of a person: distinct id and options to flag
     * values (never throws)
     * @param definitionsLoaded whether local definitions are loaded (then PostHog is not
     * asked)
     */
    CaptureFlags(BiFunction<String, FlagOptions, Map<String, Object>> allValues, BooleanSupplier definitionsLoaded) {
        this.allValues = allValues;
        this.definitionsLoaded = definitionsLoaded;
    }

    /**
     * The flag values a capture asked for. May ask PostHog ({@code /flags}) when no local
     * definitions are loaded and the capture has no snapshot: then it takes up to the
     * flags request timeout twice (one retry).
     * @param options the capture
     * @return flag key to value, empty when the capture asked for none or none could be
     * evaluated
     */
    Map<String, Object> values(CaptureOptions options) {
        return values(options, true);
    }

    /**
     * Like {@link #values(CaptureOptions)}; without {@code allowRemote} no request is
     * made (flags that the local definitions cannot decide are left out).
     */
    Map<String, Object> values(CaptureOptions options, boolean allowRemote) {
        try {
            if (options.flags() != null) {
                return options.flags().values();
            }
            if (!options.sendFeatureFlags() || Texts.isBlank(options.distinctId())) {
                return Map.of();
            }
            FlagOptions base = (options.featureFlagOptions() != null) ? options.featureFlagOptions()
                    : FlagOptions.none();
            FlagOptions.Builder b = FlagOptions.builder()
                .groups(options.groups())
                .groups(base.groups())
                .personProperties(base.personProperties())
                .groupProperties(base.groupProperties())
                .flagKeys(base.flagKeys())
                .deviceId(base.deviceId())
                .onlyEvaluateLocally(
                        base.onlyEvaluateLocally() || !allowRemote || this.definitionsLoaded.getAsBoolean());
            if (base.disableGeoip() != null) {
                b.disableGeoip(base.disableGeoip());
            }
            return this.allValues.apply(options.distinctId(), b.build());
        }
        catch (RuntimeException ex) {
            log.debug("Could not evaluate the feature flags of the event", ex);
            return Map.of();
        }
    }

    /**
     * Adds the flags a capture asked for to its properties.
     * @param options the capture
     * @param props its properties, or null
     * @return the properties (a new map when {@code props} was null and flags were added)
     */
    @Nullable Map<String, Object> enrich(CaptureOptions options, @Nullable Map<String, Object> props, boolean allowRemote) {
        try {
            return addTo(props, values(options, allowRemote));
        }
        catch (RuntimeException ex) {
            log.debug("Could not attach feature flags to the event", ex);
            return props;
        }
    }

    /**
     * Adds {@code $feature/<key>} and {@code $active_feature_flags} unless the properties
     * have them already.
     * @param props the event properties (changed in place), or null
     * @param values flag key to value
     * @return the properties, a new map when {@code props} was null and flags were added
     */
    static @Nullable Map<String, Object> addTo(@Nullable Map<String, Object> props, Map<String, Object> values) {
        if (values.isEmpty()) {
            return props;
        }
        Map<String, Object> out = (props != null) ? props : new LinkedHashMap<>();
        Set<String> active = new TreeSet<>();
        values.forEach((k, v) -> {
            out.putIfAbsent("$feature/" + k, v);
            if (v instanceof String || Boolean.TRUE.equals(v)) {
                active.add(k);
            }
        });
        out.putIfAbsent("$active_feature_flags", new ArrayList<>(active));
        return out;
    }

}
