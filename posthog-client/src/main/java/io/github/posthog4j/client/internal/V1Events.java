package io.github.posthog4j.client.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns an event's canonical JSON (the capture v0 shape, which is also what the spool
 * keeps) into the capture v1 event, in one streaming pass:
 * <ul>
 * <li>{@code $lib} and {@code $lib_version} leave the properties (PostHog takes them from
 * the {@code PostHog-Sdk-Info} header);</li>
 * <li>the option properties move into the typed {@code options} object:
 * {@code $cookieless_mode} to {@code cookieless_mode}, {@code $ignore_sent_at} to
 * {@code disable_skew_correction}, {@code $process_person_profile} to
 * {@code process_person_profile} (booleans; {@code "true"}/{@code "1"} and numbers are
 * read as PostHog reads them, anything else is left out rather than fail the batch), and
 * {@code $product_tour_id} to {@code product_tour_id} (strings only); options never set
 * are omitted, so PostHog's defaults apply;</li>
 * <li>{@code $session_id} and {@code $window_id} become the root fields
 * {@code session_id} and {@code window_id} (strings only);</li>
 * <li>everything else ({@code $set}, {@code $set_once}, {@code $groups},
 * {@code $geoip_disable}, custom properties) is copied unchanged.</li>
 * </ul>
 */
final class V1Events {

    private static final JsonFactory FACTORY = EventSerializer.MAPPER.getFactory();

    private V1Events() {
    }

    /**
     * @param canonical the event's canonical JSON
     * @return the capture v1 event
     */
    static byte[] fromCanonical(byte[] canonical) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(canonical.length);
        Map<String, Object> options = new LinkedHashMap<>(4);
        Map<String, String> root = new LinkedHashMap<>(2);
        try (JsonParser p = FACTORY.createParser(canonical); JsonGenerator g = FACTORY.createGenerator(out)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            g.writeStartObject();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("properties") && value == JsonToken.START_OBJECT) {
                    g.writeFieldName("properties");
                    properties(p, g, options, root);
                }
                else {
                    g.writeFieldName(field);
                    g.copyCurrentStructure(p);
                }
            }
            g.writeFieldName("options");
            g.writeStartObject();
            for (Map.Entry<String, Object> o : options.entrySet()) {
                g.writeFieldName(o.getKey());
                if (o.getValue() instanceof Boolean b) {
                    g.writeBoolean(b);
                }
                else {
                    g.writeString(String.valueOf(o.getValue()));
                }
            }
            g.writeEndObject();
            for (Map.Entry<String, String> r : root.entrySet()) {
                g.writeStringField(r.getKey(), r.getValue());
            }
            g.writeEndObject();
        }
        catch (IOException ex) {
            // the canonical JSON was written by EventSerializer: not expected
            throw new UncheckedIOException("cannot convert an event to capture v1", ex);
        }
        return out.toByteArray();
    }

    private static void properties(JsonParser p, JsonGenerator g, Map<String, Object> options, Map<String, String> root)
            throws IOException {
        g.writeStartObject();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken value = p.nextToken();
            switch (key) {
                case "$lib", "$lib_version" -> p.skipChildren();
                case "$cookieless_mode" -> option(options, "cookieless_mode", bool(p, value));
                case "$ignore_sent_at" -> option(options, "disable_skew_correction", bool(p, value));
                case "$process_person_profile" -> option(options, "process_person_profile", bool(p, value));
                case "$product_tour_id" -> option(options, "product_tour_id", string(p, value));
                case "$session_id" -> {
                    String s = string(p, value);
                    if (s != null) {
                        root.put("session_id", s);
                    }
                }
                case "$window_id" -> {
                    String s = string(p, value);
                    if (s != null) {
                        root.put("window_id", s);
                    }
                }
                default -> {
                    g.writeFieldName(key);
                    g.copyCurrentStructure(p);
                }
            }
        }
        g.writeEndObject();
    }

    private static void option(Map<String, Object> options, String name, @Nullable Object value) {
        if (value != null) {
            options.put(name, value);
        }
    }

    /** PostHog's reading of a boolean option; null when it is not one. */
    private static @Nullable Boolean bool(JsonParser p, JsonToken value) throws IOException {
        switch (value) {
            case VALUE_TRUE:
                return true;
            case VALUE_FALSE:
                return false;
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue() != 0;
            case VALUE_STRING:
                String s = p.getText().strip().toLowerCase(java.util.Locale.ROOT);
                return s.equals("true") || s.equals("1") ? Boolean.TRUE
                        : (s.equals("false") || s.equals("0")) ? Boolean.FALSE : null;
            default:
                p.skipChildren();
                return null;
        }
    }

    private static @Nullable String string(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    private static void expect(@Nullable JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + ", found " + actual);
        }
    }

}
