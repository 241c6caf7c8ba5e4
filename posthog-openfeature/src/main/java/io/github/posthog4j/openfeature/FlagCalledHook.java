package io.github.posthog4j.openfeature;

import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.Hook;
import dev.openfeature.sdk.HookContext;
import io.github.posthog4j.client.FeatureFlagEvaluations;
import java.util.HashMap;
import java.util.Map;

/**
 * The provider hook that records {@code $feature_flag_called}: the provider evaluates
 * silently and leaves the snapshot on the evaluating thread; after the OpenFeature client
 * resolved the flag, this hook reads the flag's value from that snapshot, which reports
 * the access through the client's deduplicating tracker (with {@code flag_missing} for an
 * unknown flag). Evaluations that end in another error (type mismatch, missing targeting
 * key) report nothing. The snapshot is dropped when the evaluation ends.
 */
@SuppressWarnings("rawtypes")
final class FlagCalledHook implements Hook {

    private final ThreadLocal<Map<String, FeatureFlagEvaluations>> pending = ThreadLocal.withInitial(HashMap::new);

    void evaluated(String key, FeatureFlagEvaluations snapshot) {
        this.pending.get().put(key, snapshot);
    }

    private void report(String key) {
        FeatureFlagEvaluations snapshot = this.pending.get().remove(key);
        if (snapshot != null) {
            snapshot.getFlag(key);
        }
    }

    @Override
    public void after(HookContext ctx, FlagEvaluationDetails details, Map hints) {
        report(ctx.getFlagKey());
    }

    @Override
    public void error(HookContext ctx, Exception error, Map hints) {
        if (error instanceof dev.openfeature.sdk.exceptions.OpenFeatureError ofe
                && ofe.getErrorCode() == ErrorCode.FLAG_NOT_FOUND) {
            report(ctx.getFlagKey());
        }
    }

    @Override
    public void finallyAfter(HookContext ctx, FlagEvaluationDetails details, Map hints) {
        Map<String, FeatureFlagEvaluations> map = this.pending.get();
        map.remove(ctx.getFlagKey());
        if (map.isEmpty()) {
            this.pending.remove();
        }
    }

}
