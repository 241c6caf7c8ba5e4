package io.github.posthog4j.client.internal;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Properties added to every event: the configured ones, plus those registered at run
 * time, minus those unregistered. Captures read an immutable snapshot (one volatile
 * read); changes rebuild it.
 */
final class SuperProperties {

    private final Map<String, @Nullable Object> registered = new LinkedHashMap<>();

    private final Set<String> unregistered = new HashSet<>();

    private Map<String, @Nullable Object> configured;

    private volatile Map<String, @Nullable Object> snapshot;

    SuperProperties(Map<String, @Nullable Object> configured) {
        this.configured = configured;
        this.snapshot = Collections.emptyMap();
        rebuild();
    }

    /**
     * @return the current super properties (immutable)
     */
    Map<String, @Nullable Object> snapshot() {
        return this.snapshot;
    }

    synchronized void configure(Map<String, @Nullable Object> properties) {
        this.configured = properties;
        rebuild();
    }

    synchronized void register(String key, @Nullable Object value) {
        this.registered.put(key, value);
        this.unregistered.remove(key);
        rebuild();
    }

    synchronized void unregister(String key) {
        this.registered.remove(key);
        this.unregistered.add(key);
        rebuild();
    }

    private void rebuild() {
        Map<String, @Nullable Object> merged = new LinkedHashMap<>(this.configured);
        merged.keySet().removeAll(this.unregistered);
        merged.putAll(this.registered);
        this.snapshot = merged.isEmpty() ? Collections.emptyMap() : Collections.unmodifiableMap(merged);
    }

}
