package io.github.posthog4j.client.internal.flags;

import io.github.posthog4j.client.FeatureFlagEvaluations;
import io.github.posthog4j.client.FeatureFlagResult;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The immutable snapshot returned by {@code evaluateFlags}: the flags of one evaluation,
 * read without evaluating again. {@link #isEnabled} and {@link #getFlag} hand each read
 * to {@code onRead} (which captures {@code $feature_flag_called}) when the evaluation
 * sends events; the other accessors are silent. Thread-safe.
 */
final class FlagSnapshot implements FeatureFlagEvaluations {

    private final String distinctId;

    private final Map<String, EvaluatedFlag> flags;

    private final Map<String, String> groups;

    private final boolean sendEvents;

    private final @Nullable Boolean disableGeoip;

    private final @Nullable RemoteMeta meta;

    private final @Nullable String error;

    private final Consumer<FlagCall> onRead;

    /**
     * @param distinctId the person
     * @param flags the evaluated flags
     * @param groups the groups of the evaluation
     * @param sendEvents whether reads are reported
     * @param disableGeoip the evaluation's own GeoIP choice, or null
     * @param meta the {@code /flags} metadata, or null when PostHog was not asked
     * @param error the evaluation's error code, or null
     * @param onRead receives the reported reads
     */
    FlagSnapshot(String distinctId, Map<String, EvaluatedFlag> flags, Map<String, String> groups, boolean sendEvents,
            @Nullable Boolean disableGeoip, @Nullable RemoteMeta meta, @Nullable String error,
            Consumer<FlagCall> onRead) {
        this.distinctId = distinctId;
        this.flags = Collections.unmodifiableMap(new LinkedHashMap<>(flags));
        this.groups = Map.copyOf(groups);
        this.sendEvents = sendEvents;
        this.disableGeoip = disableGeoip;
        this.meta = meta;
        this.error = error;
        this.onRead = onRead;
    }

    /**
     * @param distinctId the person
     * @return a snapshot without flags that reports nothing
     */
    static FlagSnapshot empty(String distinctId) {
        return new FlagSnapshot(distinctId, Map.of(), Map.of(), false, null, null, null, call -> {
        });
    }

    @Override
    public String distinctId() {
        return this.distinctId;
    }

    @Override
    public boolean isEnabled(String key) {
        EvaluatedFlag f = read(key);
        return f != null && f.result().enabled();
    }

    @Override
    public @Nullable Object getFlag(String key) {
        EvaluatedFlag f = read(key);
        return (f != null) ? f.result().value() : null;
    }

    private @Nullable EvaluatedFlag read(@Nullable String key) {
        if (key == null) {
            return null;
        }
        EvaluatedFlag f = this.flags.get(key);
        if (this.sendEvents) {
            String err = (f == null) ? ((this.error != null) ? this.error + ",flag_missing" : "flag_missing")
                    : this.error;
            this.onRead.accept(new FlagCall(this.distinctId, key, f, (f != null && f.local()) ? null : this.meta, err,
                    this.groups, this.disableGeoip));
        }
        return f;
    }

    @Override
    public @Nullable String getFlagPayload(String key) {
        EvaluatedFlag f = (key != null) ? this.flags.get(key) : null;
        return (f != null) ? f.result().payload() : null;
    }

    @Override
    public @Nullable FeatureFlagResult getResult(String key) {
        EvaluatedFlag f = (key != null) ? this.flags.get(key) : null;
        return (f != null) ? f.result() : null;
    }

    @Override
    public Set<String> keys() {
        return this.flags.keySet();
    }

    @Override
    public Map<String, Object> values() {
        Map<String, Object> values = new LinkedHashMap<>();
        this.flags.forEach((k, f) -> values.put(k, f.result().value()));
        return Collections.unmodifiableMap(values);
    }

    @Override
    public String toString() {
        return "FeatureFlagEvaluations[distinctId=" + this.distinctId + ", flags=" + values() + "]";
    }

}
