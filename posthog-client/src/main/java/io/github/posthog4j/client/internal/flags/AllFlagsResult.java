package io.github.posthog4j.client.internal.flags;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of evaluating every flag locally. Flags that could be decided are in
 * {@link #results()}; the others are in {@link #inconclusive()}, and
 * {@link #needsRemoteFallback()} tells whether PostHog must be asked to complete the
 * picture. Internal API.
 */
public final class AllFlagsResult {

    private final Map<String, FlagEvaluationResult> results;

    private final Map<String, FlagEvaluationResult> inconclusive;

    AllFlagsResult(Map<String, FlagEvaluationResult> results, Map<String, FlagEvaluationResult> inconclusive) {
        this.results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
        this.inconclusive = Collections.unmodifiableMap(new LinkedHashMap<>(inconclusive));
    }

    /** Decided flags by key. */
    public Map<String, FlagEvaluationResult> results() {
        return results;
    }

    /** Flags that local data could not decide, by key. */
    public Map<String, FlagEvaluationResult> inconclusive() {
        return inconclusive;
    }

    /** Whether at least one flag could not be decided locally. */
    public boolean needsRemoteFallback() {
        return !inconclusive.isEmpty();
    }

    /** Values of the decided flags ({@code Boolean} or variant {@code String}) by key. */
    public Map<String, Object> values() {
        Map<String, Object> values = new LinkedHashMap<>();
        results.forEach((key, result) -> values.put(key, result.value()));
        return Collections.unmodifiableMap(values);
    }

    /** Decoded payloads of the decided flags that have one, by key. */
    public Map<String, JsonNode> payloads() {
        Map<String, JsonNode> payloads = new LinkedHashMap<>();
        results.forEach((key, result) -> {
            JsonNode payload = result.payload();
            if (payload != null) {
                payloads.put(key, payload);
            }
        });
        return Collections.unmodifiableMap(payloads);
    }

}
