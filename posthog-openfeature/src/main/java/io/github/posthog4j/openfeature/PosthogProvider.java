package io.github.posthog4j.openfeature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FeatureProvider;
import dev.openfeature.sdk.Hook;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import io.github.posthog4j.client.FeatureFlagEvaluations;
import io.github.posthog4j.client.FeatureFlagResult;
import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.PosthogClient;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An OpenFeature server provider backed by a {@link PosthogClient} (its public API only):
 * each evaluation is one {@code evaluateFlags} of the flag (local where possible, else
 * one {@code /flags} request).
 *
 * <ul>
 * <li>The evaluation context's targeting key is the distinct id; its {@code groups}
 * attribute (group type to group key), {@code personProperties} and
 * {@code groupProperties} (group type to properties) are passed to PostHog.</li>
 * <li>Boolean: whether the flag is on (a variant counts as on). String: the variant of a
 * multivariate flag. Integer, double: the flag's payload when it is a number. Object: the
 * payload (JSON as OpenFeature {@link Value}s), or the flag's value when it has none. The
 * PostHog variant is the OpenFeature variant.</li>
 * <li>Reasons: {@code TARGETING_MATCH} when the flag is on for the context,
 * {@code DEFAULT} when it is off, {@code ERROR} with {@code FLAG_NOT_FOUND} (unknown
 * flag, or PostHog could not answer), {@code TYPE_MISMATCH} (the flag has no value of the
 * asked type), {@code TARGETING_KEY_MISSING}, {@code GENERAL}; the default value is
 * returned then.</li>
 * <li>{@code $feature_flag_called}: the evaluation itself is silent; the provider's hook
 * ({@link #getProviderHooks()}) reports the read after a successful evaluation (and for a
 * flag not found), through the client's deduplication, once the OpenFeature client has
 * resolved it.</li>
 * </ul>
 *
 * The provider never closes the client: the application (or the Spring context) owns it.
 */
public final class PosthogProvider implements FeatureProvider {

    /** The provider's name in OpenFeature metadata. */
    public static final String NAME = "PostHog";

    /** The evaluation context attribute holding group type to group key. */
    public static final String GROUPS = "groups";

    /** The evaluation context attribute holding person properties. */
    public static final String PERSON_PROPERTIES = "personProperties";

    /** The evaluation context attribute holding group type to group properties. */
    public static final String GROUP_PROPERTIES = "groupProperties";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PosthogClient client;

    private final FlagCalledHook hook = new FlagCalledHook();

    /**
     * Creates a provider.
     * @param client the PostHog client (not closed by the provider)
     */
    public PosthogProvider(PosthogClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public Metadata getMetadata() {
        return () -> NAME;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public List<Hook> getProviderHooks() {
        return List.of(this.hook);
    }

    @Override
    public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, (r) -> r.enabled());
    }

    @Override
    public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, (r) -> r.variant());
    }

    @Override
    public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, (r) -> {
            JsonNode p = payload(r);
            return (p != null && p.isIntegralNumber() && p.canConvertToInt()) ? p.intValue() : null;
        });
    }

    @Override
    public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, (r) -> {
            JsonNode p = payload(r);
            return (p != null && p.isNumber()) ? p.doubleValue() : null;
        });
    }

    @Override
    public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, (r) -> {
            JsonNode p = payload(r);
            if (p != null) {
                return Values.fromJson(p);
            }
            return (r.variant() != null) ? new Value(r.variant()) : new Value(r.enabled());
        });
    }

    private static @Nullable JsonNode payload(FeatureFlagResult r) {
        if (r.payload() == null) {
            return null;
        }
        try {
            return JSON.readTree(r.payload());
        }
        catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            return null;
        }
    }

    private <T> ProviderEvaluation<T> evaluate(String key, T defaultValue, @Nullable EvaluationContext ctx,
            Function<FeatureFlagResult, @Nullable T> convert) {
        String distinctId = (ctx != null) ? ctx.getTargetingKey() : null;
        if (distinctId == null || distinctId.isBlank()) {
            return error(defaultValue, ErrorCode.TARGETING_KEY_MISSING,
                    "PostHog needs a distinct id: set the evaluation context's targeting key");
        }
        FeatureFlagEvaluations snapshot;
        try {
            FlagOptions options = Contexts.options(ctx, key);
            snapshot = this.client.evaluateFlags(distinctId, options);
        }
        catch (IllegalArgumentException ex) {
            return error(defaultValue, ErrorCode.INVALID_CONTEXT, ex.getMessage());
        }
        catch (RuntimeException ex) {
            return error(defaultValue, ErrorCode.GENERAL, "PostHog could not evaluate the flag: " + ex);
        }
        this.hook.evaluated(key, snapshot);
        FeatureFlagResult result = snapshot.getResult(key);
        if (result == null) {
            return error(defaultValue, ErrorCode.FLAG_NOT_FOUND,
                    "PostHog has no flag '" + key + "' for this context (or could not be reached)");
        }
        T value = convert.apply(result);
        if (value == null) {
            return error(defaultValue, ErrorCode.TYPE_MISMATCH,
                    "PostHog flag '" + key + "' has the value " + result.value()
                            + (result.payload() != null ? " and the payload " + result.payload() : "") + ", not a "
                            + defaultValue.getClass().getSimpleName() + " value");
        }
        ImmutableMetadata.ImmutableMetadataBuilder metadata = ImmutableMetadata.builder()
            .addString("source", result.source().tag());
        if (result.reason() != null) {
            metadata.addString("posthogReason", result.reason());
        }
        if (result.payload() != null) {
            metadata.addString("payload", result.payload());
        }
        return ProviderEvaluation.<T>builder()
            .value(value)
            .variant(result.variant())
            .reason((result.enabled() ? Reason.TARGETING_MATCH : Reason.DEFAULT).name())
            .flagMetadata(metadata.build())
            .build();
    }

    private static <T> ProviderEvaluation<T> error(T defaultValue, ErrorCode code, @Nullable String message) {
        return ProviderEvaluation.<T>builder()
            .value(defaultValue)
            .reason(Reason.ERROR.name())
            .errorCode(code)
            .errorMessage(message)
            .build();
    }

    @Override
    public String toString() {
        return "PosthogProvider[" + this.client + "]";
    }

}
