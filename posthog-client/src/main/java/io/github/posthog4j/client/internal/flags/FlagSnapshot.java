package io.github.posthog4j.client.internal.flags;

import io.github.posthog4j.client.FeatureFlagEvaluations;
import io.github.posthog4j.client.FeatureFlagResult;
import io.github.posthog4j.client.internal.Log;
import io.github.posthog4j.client.internal.Texts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The immutable snapshot returned by {@code evaluateFlags}: the flags of one evaluation,
 * read without evaluating again. {@link #isEnabled} and {@link #getFlag} hand each read
 * to {@code onRead} (which captures {@code $feature_flag_called}) when the evaluation
 * sends events, and remember the key for {@link #onlyAccessed()}; the other accessors are
 * silent. {@link #only} and {@link #onlyAccessed()} return filtered snapshots (for
 * capture): their reads of a key the filter left out report nothing (the key was not
 * missing from the evaluation), and their bookkeeping is their own. Thread-safe.
 */
final class FlagSnapshot implements FeatureFlagEvaluations {

    private static final Log log = Log.CLIENT;

    private final String distinctId;

    private final Map<String, EvaluatedFlag> flags;

    private final Map<String, String> groups;

    private final boolean sendEvents;

    private final @Nullable Boolean disableGeoip;

    private final @Nullable RemoteMeta meta;

    private final @Nullable String error;

    private final Consumer<FlagCall> onRead;

    /** Whether this snapshot came from {@link #only} or {@link #onlyAccessed()}. */
    private final boolean filtered;

    /** Keys whose value was read, present in the snapshot. */
    private final Set<String> accessed = ConcurrentHashMap.newKeySet();

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
        this(distinctId, flags, groups, sendEvents, disableGeoip, meta, error, onRead, false);
    }

    private FlagSnapshot(String distinctId, Map<String, EvaluatedFlag> flags, Map<String, String> groups,
            boolean sendEvents, @Nullable Boolean disableGeoip, @Nullable RemoteMeta meta, @Nullable String error,
            Consumer<FlagCall> onRead, boolean filtered) {
        this.filtered = filtered;
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
        if (f != null) {
            this.accessed.add(key);
        }
        if (this.sendEvents && (f != null || !this.filtered)) {
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
    public FeatureFlagEvaluations only(Collection<String> keys) {
        Map<String, EvaluatedFlag> kept = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String k : keys) {
            EvaluatedFlag f = (k != null) ? this.flags.get(k) : null;
            if (f != null) {
                kept.put(k, f);
            }
            else {
                unknown.add(Texts.abbreviate(k));
            }
        }
        if (!unknown.isEmpty()) {
            log.warn("FeatureFlagEvaluations.only(...) dropped flag keys the snapshot does not hold: " + unknown
                    + " (evaluated: " + this.flags.size() + " flags; check the keys, or the flagKeys of the "
                    + "evaluation)");
        }
        return filteredCopy(kept);
    }

    @Override
    public FeatureFlagEvaluations onlyAccessed() {
        Map<String, EvaluatedFlag> kept = new LinkedHashMap<>();
        this.flags.forEach((k, f) -> {
            if (this.accessed.contains(k)) {
                kept.put(k, f);
            }
        });
        return filteredCopy(kept);
    }

    private FlagSnapshot filteredCopy(Map<String, EvaluatedFlag> kept) {
        return new FlagSnapshot(this.distinctId, kept, this.groups, this.sendEvents, this.disableGeoip, this.meta,
                this.error, this.onRead, true);
    }

    @Override
    public String toString() {
        return "FeatureFlagEvaluations[distinctId=" + this.distinctId + ", flags=" + values() + "]";
    }

}
