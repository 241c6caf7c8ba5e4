package io.github.posthog4j.client.internal.exceptions;

import io.github.posthog4j.client.ExceptionOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The properties of an {@code $exception} event: {@code $exception_list},
 * {@code $exception_level}, {@code $exception_source}, {@code $exception_type},
 * {@code $exception_message}, {@code $exception_fingerprint}, {@code $debug_images}, and
 * the caller's properties, which can never set the reserved ones. Internal API.
 */
public final class ExceptionPayload {

    /** The event name. */
    public static final String EVENT = "$exception";

    /**
     * Properties the SDK or PostHog's processing own: left out of the caller's
     * properties.
     */
    public static final Set<String> RESERVED = Set.of("$exception_list", "$exception_level", "$exception_source",
            "$exception_type", "$exception_message", "$debug_images", "$exception_fingerprint", "$exception_handled",
            "$exception_types", "$exception_values", "$exception_sources", "$exception_functions",
            "$exception_fingerprint_version", "$exception_fingerprint_record", "$exception_issue_id",
            "$exception_release", "$cymbal_errors");

    private ExceptionPayload() {
    }

    /**
     * The properties of a capture through the public API (a manual capture, or an
     * integration's, with its typed overrides).
     * @param options the capture
     * @param inApp the in-app rule
     * @return the properties, or null when there is nothing to capture (no exception)
     */
    public static @Nullable Map<String, @Nullable Object> of(ExceptionOptions options, InAppFrames inApp) {
        ExceptionNode root;
        if (options.exception() != null) {
            root = ThrowableReader.read(options.exception(), inApp);
        }
        else if (options.message() != null) {
            root = ThrowableReader.message(options.message(), inApp);
        }
        else {
            return null;
        }
        String fingerprint = Mechanisms.text(options.fingerprint());
        if (fingerprint == null) {
            fingerprint = Mechanisms.text(options.properties().get("$exception_fingerprint"));
        }
        return build(root.withMechanism(options.mechanism()), Boundary.MANUAL, options.level(),
                options.exceptionSource(), fingerprint, List.of(), options.properties());
    }

    /**
     * Builds the properties (the low-level builder: context-free with a null boundary).
     * @param root the exception tree, with any supplied mechanism fields on its nodes
     * @param boundary the capture boundary's defaults, or null when unknown
     * @param level a typed level override, or null
     * @param source a typed {@code $exception_source}, or null
     * @param fingerprint a custom fingerprint, or null
     * @param debugImages native debug images (a JVM never has any: only frames with an
     * {@code image_addr} refer to one)
     * @param properties the caller's properties
     * @return the event properties
     */
    public static Map<String, @Nullable Object> build(ExceptionNode root, @Nullable Boundary boundary,
            @Nullable Object level, @Nullable Object source, @Nullable String fingerprint,
            List<? extends Map<String, ?>> debugImages, Map<String, ?> properties) {
        List<Map<String, Object>> list = ExceptionListAssembler.assemble(root, boundary);
        Map<String, @Nullable Object> props = new LinkedHashMap<>(properties.size() + 8);
        props.put("$exception_list", list);
        String lvl = ExceptionLevels.normalize(level);
        if (lvl == null && boundary != null) {
            lvl = boundary.level();
        }
        if (lvl != null) {
            props.put("$exception_level", lvl);
        }
        String src = Mechanisms.text(source);
        if (src == null && boundary != null) {
            src = boundary.source();
        }
        if (src != null) {
            props.put("$exception_source", src);
        }
        Map<String, Object> first = list.get(0);
        props.put("$exception_type", first.get("type"));
        props.put("$exception_message", first.get("value"));
        if (fingerprint != null) {
            props.put("$exception_fingerprint", fingerprint);
        }
        List<Map<String, ?>> images = debugImages(list, debugImages);
        if (!images.isEmpty()) {
            props.put("$debug_images", images);
        }
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            if (e.getKey() != null && !RESERVED.contains(e.getKey())) {
                props.put(e.getKey(), e.getValue());
            }
        }
        return props;
    }

    /**
     * The debug images worth sending: with an authoritative {@code debug_id} and a hex
     * {@code image_addr}, referenced by a frame, each once.
     */
    private static List<Map<String, ?>> debugImages(List<Map<String, Object>> list,
            List<? extends Map<String, ?>> images) {
        if (images.isEmpty()) {
            return List.of();
        }
        Set<String> referenced = new HashSet<>();
        for (Map<String, Object> entry : list) {
            if (entry.get("stacktrace") instanceof Map<?, ?> st && st.get("frames") instanceof List<?> frames) {
                for (Object f : frames) {
                    if (f instanceof Map<?, ?> frame && frame.get("image_addr") instanceof String addr) {
                        referenced.add(addr.toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
        }
        List<Map<String, ?>> out = new ArrayList<>();
        Set<String> kept = new HashSet<>();
        for (Map<String, ?> image : images) {
            String debugId = Mechanisms.text(image.get("debug_id"));
            String addr = Mechanisms.text(image.get("image_addr"));
            if (debugId == null || addr == null || !addr.matches("0x[0-9a-fA-F]+")) {
                continue;
            }
            String key = addr.toLowerCase(java.util.Locale.ROOT);
            if (referenced.contains(key) && kept.add(debugId + "@" + key)) {
                out.add(image);
            }
        }
        return out;
    }

}
