package io.github.posthog4j.client.internal.otlp;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import io.github.posthog4j.client.internal.Log;
import org.jspecify.annotations.Nullable;

/**
 * Writes OTLP/JSON {@code AnyValue}s and attribute lists, as the logs and traces
 * specifications encode them: a string as {@code stringValue}, a boolean as
 * {@code boolValue}, an integer as {@code intValue} holding its decimal string, a float
 * as {@code doubleValue} ({@code NaN} and the infinities as their {@code stringValue}),
 * an integer beyond 64 bits as its {@code stringValue}, arrays and collections as
 * {@code arrayValue}, maps as {@code kvlistValue}, bytes as {@code bytesValue} (base 64),
 * and anything else as the {@code stringValue} of its {@code toString()}. A null value
 * leaves its key out. Internal API.
 */
public final class OtlpJson {

    /** Deep enough for real data, shallow enough to stop a reference cycle. */
    static final int MAX_DEPTH = 16;

    private OtlpJson() {
    }

    /**
     * Writes {@code "attributes": [...]} (nothing when every value is null or there is
     * none).
     * @param g the generator, inside an object
     * @param attributes the attributes
     * @throws IOException if writing fails
     */
    public static void writeAttributes(JsonGenerator g, @Nullable Map<String, ? extends @Nullable Object> attributes)
            throws IOException {
        if (attributes == null || attributes.isEmpty()) {
            return;
        }
        boolean open = false;
        for (Map.Entry<String, ? extends @Nullable Object> e : attributes.entrySet()) {
            Object value = e.getValue();
            if (e.getKey() == null || value == null) {
                continue;
            }
            if (!open) {
                g.writeArrayFieldStart("attributes");
                open = true;
            }
            writeKeyValue(g, e.getKey(), value, 0);
        }
        if (open) {
            g.writeEndArray();
        }
    }

    private static void writeKeyValue(JsonGenerator g, String key, Object value, int depth) throws IOException {
        g.writeStartObject();
        g.writeStringField("key", key);
        g.writeFieldName("value");
        writeAnyValue(g, value, depth);
        g.writeEndObject();
    }

    /**
     * Writes one {@code AnyValue} object.
     * @param g the generator
     * @param value the value (null: an empty {@code AnyValue})
     * @throws IOException if writing fails
     */
    public static void writeAnyValue(JsonGenerator g, @Nullable Object value) throws IOException {
        writeAnyValue(g, value, 0);
    }

    private static void writeAnyValue(JsonGenerator g, @Nullable Object value, int depth) throws IOException {
        g.writeStartObject();
        if (value != null) {
            writeValueField(g, value, depth);
        }
        g.writeEndObject();
    }

    private static void writeValueField(JsonGenerator g, Object value, int depth) throws IOException {
        if (value instanceof Optional<?> optional) {
            if (optional.isPresent()) {
                writeValueField(g, optional.get(), depth);
            }
            return;
        }
        if (value instanceof CharSequence || value instanceof Character) {
            g.writeStringField("stringValue", value.toString());
        }
        else if (value instanceof Boolean b) {
            g.writeBooleanField("boolValue", b);
        }
        else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof AtomicInteger || value instanceof AtomicLong) {
            g.writeStringField("intValue", Long.toString(((Number) value).longValue()));
        }
        else if (value instanceof BigInteger big) {
            if (big.bitLength() < 64) {
                g.writeStringField("intValue", big.toString());
            }
            else {
                // an intValue out of int64 would make PostHog reject the whole request
                if (Log.CLIENT.isDebugEnabled()) {
                    Log.CLIENT.debug("PostHog: an integer attribute beyond 64 bits is sent as a string: " + big);
                }
                g.writeStringField("stringValue", big.toString());
            }
        }
        else if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                g.writeNumberField("doubleValue", d);
            }
            else {
                g.writeStringField("stringValue", nonFinite(d));
            }
        }
        else if (value instanceof Number n) {
            g.writeStringField("stringValue", n.toString());
        }
        else if (value instanceof byte[] bytes) {
            g.writeStringField("bytesValue", Base64.getEncoder().encodeToString(bytes));
        }
        else if (depth >= MAX_DEPTH) {
            g.writeStringField("stringValue", "[nested deeper than " + MAX_DEPTH + " levels]");
        }
        else if (value instanceof Map<?, ?> map) {
            g.writeObjectFieldStart("kvlistValue");
            g.writeArrayFieldStart("values");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getKey() != null && e.getValue() != null) {
                    writeKeyValue(g, String.valueOf(e.getKey()), e.getValue(), depth + 1);
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        else if (value instanceof Collection<?> || value instanceof Iterable<?> || value.getClass().isArray()) {
            g.writeObjectFieldStart("arrayValue");
            g.writeArrayFieldStart("values");
            if (value.getClass().isArray()) {
                int n = Array.getLength(value);
                for (int i = 0; i < n; i++) {
                    writeAnyValue(g, Array.get(value, i), depth + 1);
                }
            }
            else {
                for (Object item : (Iterable<?>) value) {
                    writeAnyValue(g, item, depth + 1);
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        else if (value instanceof Enum<?> e) {
            g.writeStringField("stringValue", e.name());
        }
        else {
            g.writeStringField("stringValue", text(value));
        }
    }

    /**
     * @param d a value that is not finite
     * @return {@code NaN}, {@code Infinity} or {@code -Infinity}
     */
    static String nonFinite(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        return (d > 0) ? "Infinity" : "-Infinity";
    }

    private static String text(Object value) {
        try {
            String s = value.toString();
            return (s != null) ? s : "null";
        }
        catch (RuntimeException ex) {
            return "[" + value.getClass().getName() + ": toString() threw " + ex.getClass().getSimpleName() + "]";
        }
    }

}
