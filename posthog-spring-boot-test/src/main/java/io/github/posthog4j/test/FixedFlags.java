package io.github.posthog4j.test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The feature flag values a {@link PosthogRecorder} answers with. A value is
 * {@code true}/{@code false} for a boolean flag or the variant's name for a multivariate
 * one; a flag that is not set is unknown to the application, as a flag PostHog does not
 * have ({@code isFeatureEnabled} returns its default, {@code getFeatureFlag} null).
 *
 * <pre class="code">
 * recorder.flags().set("new-checkout", "variant-b");
 * recorder.flags().set("button-color", "green", "{\"hex\": \"#2da44e\"}");
 * recorder.flags().setFor("u2", "new-checkout", false);   // u2 only
 * </pre>
 *
 * Thread-safe. Cleared with the recorder after each test method.
 */
public final class FixedFlags {

    private final Map<String, Flag> flags = new ConcurrentHashMap<>();

    private final Map<String, Map<String, Flag>> perPerson = new ConcurrentHashMap<>();

    FixedFlags() {
    }

    /**
     * Sets a flag's value for everyone.
     * @param key the flag key
     * @param value {@code Boolean} or the variant {@code String}
     * @return these flags
     */
    public FixedFlags set(String key, Object value) {
        return set(key, value, null);
    }

    /**
     * Sets a flag's value and payload for everyone.
     * @param key the flag key
     * @param value {@code Boolean} or the variant {@code String}
     * @param payload the payload as JSON text, or null
     * @return these flags
     */
    public FixedFlags set(String key, Object value, @Nullable String payload) {
        flags.put(checkKey(key), new Flag(checkValue(key, value), payload));
        return this;
    }

    /**
     * Sets a flag's value for one person, overriding the value for everyone.
     * @param distinctId the person's distinct id
     * @param key the flag key
     * @param value {@code Boolean} or the variant {@code String}
     * @return these flags
     */
    public FixedFlags setFor(@Nullable String distinctId, String key, Object value) {
        if (distinctId == null || distinctId.isBlank()) {
            throw new IllegalArgumentException(
                    "setFor needs a distinct id; use set(\"" + key + "\", value) for a value that applies to everyone");
        }
        perPerson.computeIfAbsent(distinctId, (id) -> new ConcurrentHashMap<>())
            .put(checkKey(key), new Flag(checkValue(key, value), null));
        return this;
    }

    /**
     * Makes a flag unknown again, for everyone and every person.
     * @param key the flag key
     * @return these flags
     */
    public FixedFlags remove(String key) {
        flags.remove(key);
        perPerson.values().forEach((m) -> m.remove(key));
        return this;
    }

    /** Makes every flag unknown. */
    public void clear() {
        flags.clear();
        perPerson.clear();
    }

    /**
     * @param key the flag key
     * @param distinctId the person's distinct id
     * @return the flag for that person, or null when it is not set
     */
    @Nullable Flag get(String key, @Nullable String distinctId) {
        Map<String, Flag> own = (distinctId != null) ? perPerson.get(distinctId) : null;
        Flag flag = (own != null) ? own.get(key) : null;
        return (flag != null) ? flag : flags.get(key);
    }

    /**
     * @param distinctId the person's distinct id
     * @return every flag set for that person, by key
     */
    Map<String, Flag> all(@Nullable String distinctId) {
        Map<String, Flag> all = new LinkedHashMap<>(flags);
        Map<String, Flag> own = (distinctId != null) ? perPerson.get(distinctId) : null;
        if (own != null) {
            all.putAll(own);
        }
        return all;
    }

    private static String checkKey(@Nullable String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("A feature flag key must not be null or blank");
        }
        return key;
    }

    private static Object checkValue(String key, @Nullable Object value) {
        if (value instanceof Boolean || (value instanceof String s && !s.isBlank())) {
            return value;
        }
        throw new IllegalArgumentException("Flag '" + key + "' needs true, false or a variant name, not " + value
                + ": call remove(\"" + key + "\") to make it unknown");
    }

    @Override
    public String toString() {
        return "FixedFlags" + flags + ((perPerson.isEmpty()) ? "" : " per person " + perPerson);
    }

    /**
     * A fixed flag.
     *
     * @param value {@code Boolean} or the variant {@code String}
     * @param payload the payload as JSON text, or null
     */
    record Flag(Object value, @Nullable String payload) {

        boolean enabled() {
            return value instanceof String || Boolean.TRUE.equals(value);
        }

        @Nullable String variant() {
            return (value instanceof String s) ? s : null;
        }

        @Override
        public String toString() {
            return String.valueOf(value);
        }

    }

}
