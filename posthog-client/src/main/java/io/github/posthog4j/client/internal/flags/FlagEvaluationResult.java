package io.github.posthog4j.client.internal.flags;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Objects;

/**
 * The outcome of evaluating one flag locally: either a value ({@code Boolean} or a
 * variant {@code
 * String}) with its payload, or an inconclusive outcome telling the caller to ask
 * PostHog. Internal API.
 */
public final class FlagEvaluationResult {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String key;

    private final Object value;

    private final EvaluationReason reason;

    private final Integer conditionIndex;

    private final JsonNode rawPayload;

    private final String message;

    private FlagEvaluationResult(String key, Object value, EvaluationReason reason, Integer conditionIndex,
            JsonNode rawPayload, String message) {
        this.key = key;
        this.value = value;
        this.reason = reason;
        this.conditionIndex = conditionIndex;
        this.rawPayload = rawPayload;
        this.message = message;
    }

    static FlagEvaluationResult conclusive(String key, Object value, EvaluationReason reason, Integer conditionIndex,
            JsonNode payload) {
        return new FlagEvaluationResult(key, value, reason, conditionIndex, payload, null);
    }

    static FlagEvaluationResult inconclusive(String key, EvaluationReason reason, String message) {
        return new FlagEvaluationResult(key, null, reason, null, null, message);
    }

    /** The flag key. */
    public String key() {
        return key;
    }

    /**
     * Whether local data could not decide; then there is no value and PostHog must be
     * asked.
     */
    public boolean isInconclusive() {
        return reason.isInconclusive();
    }

    /**
     * The flag value: {@link Boolean#TRUE}, {@link Boolean#FALSE} or the variant key;
     * {@code null} when inconclusive.
     */
    public Object value() {
        return value;
    }

    /** Whether the flag is on (true or any variant). {@code false} when inconclusive. */
    public boolean isEnabled() {
        return value instanceof String || Boolean.TRUE.equals(value);
    }

    /** The variant key, or {@code null} for boolean values and inconclusive results. */
    public String variant() {
        return value instanceof String s ? s : null;
    }

    /** Why the evaluation ended this way. */
    public EvaluationReason reason() {
        return reason;
    }

    /** Zero-based index of the matching condition, or {@code null} when none matched. */
    public Integer conditionIndex() {
        return conditionIndex;
    }

    /** Details for inconclusive results (for logs), otherwise {@code null}. */
    public String message() {
        return message;
    }

    /**
     * The payload for the value as stored in the definition (usually a JSON-encoded
     * string), or {@code null}.
     */
    public JsonNode rawPayload() {
        return rawPayload;
    }

    /**
     * The payload decoded: a JSON-encoded string is parsed, a string that is not JSON
     * stays a text node, an empty string is no payload. {@code null} when there is none.
     */
    public JsonNode payload() {
        return decodePayload(rawPayload);
    }

    /**
     * The decoded payload serialized as JSON text, or {@code null} when there is none.
     */
    public String payloadJson() {
        JsonNode decoded = payload();
        return decoded == null ? null : decoded.toString();
    }

    static JsonNode decodePayload(JsonNode raw) {
        if (raw == null || raw.isNull() || raw.isMissingNode()) {
            return null;
        }
        if (raw.isTextual()) {
            String text = raw.asText();
            if (text.isEmpty()) {
                return null;
            }
            try {
                return MAPPER.readTree(text);
            }
            catch (JsonProcessingException e) {
                return TextNode.valueOf(text);
            }
        }
        return raw;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlagEvaluationResult r && key.equals(r.key) && Objects.equals(value, r.value)
                && reason == r.reason && Objects.equals(conditionIndex, r.conditionIndex)
                && Objects.equals(rawPayload, r.rawPayload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, value, reason, conditionIndex, rawPayload);
    }

    @Override
    public String toString() {
        return "FlagEvaluationResult{key=" + key + ", value=" + value + ", reason=" + reason
                + (conditionIndex != null ? ", condition=" + conditionIndex : "")
                + (message != null ? ", message=" + message : "") + '}';
    }

}
