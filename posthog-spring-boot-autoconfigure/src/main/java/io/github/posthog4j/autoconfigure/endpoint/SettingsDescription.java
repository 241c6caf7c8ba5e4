package io.github.posthog4j.autoconfigure.endpoint;

import io.github.posthog4j.autoconfigure.PosthogProperties;
import java.beans.PropertyDescriptor;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.util.unit.DataSize;
import org.jspecify.annotations.Nullable;

/**
 * The {@code settings} part of the endpoint: every {@code posthog.*} property with its
 * effective value (defaults included), named as in {@code application.yml}. Keys and
 * anything that looks like a secret are masked ({@value #MASK}); credentials in the host
 * URL are removed.
 *
 * <p>
 * The properties are read through their getters, so a property added to
 * {@link PosthogProperties} shows up here without a change; a nested group is a nested
 * object.
 */
final class SettingsDescription {

    /** What a set secret is shown as. */
    static final String MASK = "******";

    private SettingsDescription() {
    }

    static Map<String, @Nullable Object> of(PosthogProperties properties) {
        return describe(properties, 0);
    }

    private static Map<String, @Nullable Object> describe(Object bean, int depth) {
        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        BeanWrapper wrapper = PropertyAccessorFactory.forBeanPropertyAccess(bean);
        for (PropertyDescriptor descriptor : wrapper.getPropertyDescriptors()) {
            String name = descriptor.getName();
            if (descriptor.getReadMethod() == null || "class".equals(name)) {
                continue;
            }
            Object value = wrapper.getPropertyValue(name);
            body.put(kebab(name), value(name, value, depth));
        }
        return body;
    }

    private static @Nullable Object value(String name, @Nullable Object value, int depth) {
        if (value == null) {
            return null;
        }
        if (isSecret(name)) {
            return (value instanceof CharSequence text && text.isEmpty()) ? "" : MASK;
        }
        if ("host".equals(name) && value instanceof String host) {
            return withoutCredentials(host);
        }
        if (value instanceof Duration duration) {
            return duration.toString();
        }
        if (value instanceof DataSize size) {
            return size.toBytes() + "B";
        }
        if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean
                || value instanceof Enum<?>) {
            return (value instanceof CharSequence) ? value.toString() : value;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), isSecret(String.valueOf(k)) ? MASK : String.valueOf(v)));
            return copy;
        }
        if (depth < 3 && value.getClass().getName().startsWith(PosthogProperties.class.getName())) {
            return describe(value, depth + 1);
        }
        return value.toString();
    }

    /**
     * Whether a property holds a secret: keys, tokens, passwords.
     * @param name the property or map key name
     * @return whether to mask its value
     */
    static boolean isSecret(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        return n.endsWith("key") || n.contains("secret") || n.contains("password") || n.contains("token")
                || n.contains("credential");
    }

    private static String withoutCredentials(String host) {
        try {
            URI uri = URI.create(host);
            if (uri.getRawUserInfo() == null) {
                return host;
            }
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getRawPath(), null, null)
                .toString();
        }
        catch (IllegalArgumentException | java.net.URISyntaxException ex) {
            return "(not a valid URL)";
        }
    }

    private static String kebab(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 4);
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('-').append(Character.toLowerCase(c));
            }
            else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

}
