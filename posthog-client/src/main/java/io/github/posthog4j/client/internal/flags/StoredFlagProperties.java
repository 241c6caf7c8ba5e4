package io.github.posthog4j.client.internal.flags;

import io.github.posthog4j.client.internal.Texts;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The person and group properties stored for flag evaluation
 * ({@code setPersonPropertiesForFlags}, {@code setGroupPropertiesForFlags}). Bounded: at
 * most {@code capacity} persons and {@code capacity} keys per group type, the least
 * recently used forgotten first. Thread-safe; readers get copies.
 */
final class StoredFlagProperties {

    static final int DEFAULT_CAPACITY = 10_000;

    private final int capacity;

    /** Distinct id to properties, in access order. Guarded by itself. */
    private final Map<String, Map<String, Object>> persons;

    /** Group type to group key (in access order) to properties. Guarded by itself. */
    private final Map<String, Map<String, Map<String, Object>>> groups = new LinkedHashMap<>();

    StoredFlagProperties() {
        this(DEFAULT_CAPACITY);
    }

    StoredFlagProperties(int capacity) {
        this.capacity = capacity;
        this.persons = lru(capacity);
    }

    private static <V> Map<String, V> lru(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    void setPerson(@Nullable String distinctId, @Nullable Map<String, ?> props) {
        if (Texts.isBlank(distinctId) || props == null || props.isEmpty()) {
            return;
        }
        synchronized (this.persons) {
            this.persons.computeIfAbsent(distinctId, d -> new LinkedHashMap<>()).putAll(props);
        }
    }

    /**
     * @param distinctId the person to forget, or null for everybody
     */
    void resetPerson(@Nullable String distinctId) {
        synchronized (this.persons) {
            if (distinctId == null) {
                this.persons.clear();
            }
            else {
                this.persons.remove(distinctId);
            }
        }
    }

    void setGroup(@Nullable String groupType, @Nullable String groupKey, @Nullable Map<String, ?> props) {
        if (Texts.isBlank(groupType) || Texts.isBlank(groupKey) || props == null || props.isEmpty()) {
            return;
        }
        synchronized (this.groups) {
            this.groups.computeIfAbsent(groupType, t -> lru(this.capacity))
                .computeIfAbsent(groupKey, k -> new LinkedHashMap<>())
                .putAll(props);
        }
    }

    /**
     * @param groupType the group type to forget, or null for every group
     */
    void resetGroup(@Nullable String groupType) {
        synchronized (this.groups) {
            if (groupType == null) {
                this.groups.clear();
            }
            else {
                this.groups.remove(groupType);
            }
        }
    }

    /**
     * @param distinctId the person
     * @return a fresh copy of the person's stored properties (empty when none)
     */
    Map<String, Object> person(String distinctId) {
        synchronized (this.persons) {
            Map<String, Object> stored = this.persons.get(distinctId);
            return (stored != null) ? new LinkedHashMap<>(stored) : new LinkedHashMap<>();
        }
    }

    /**
     * @param groupKeys group type to group key
     * @return fresh copies of the stored properties of those groups, by group type (types
     * without stored properties are left out)
     */
    Map<String, Map<String, Object>> groups(Map<String, String> groupKeys) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        synchronized (this.groups) {
            groupKeys.forEach((type, key) -> {
                Map<String, Map<String, Object>> byKey = this.groups.get(type);
                Map<String, Object> stored = (byKey != null) ? byKey.get(key) : null;
                if (stored != null) {
                    out.put(type, new LinkedHashMap<>(stored));
                }
            });
        }
        return out;
    }

}
