package io.github.posthog4j.autoconfigure;

import java.util.Locale;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Hides {@code posthog.api-key} and {@code posthog.feature-flags.personal-api-key} in the
 * {@code env} and {@code configprops} actuator endpoints, even when those endpoints are
 * configured to show values.
 */
final class PosthogSanitizingFunction implements SanitizingFunction {

    @Override
    public SanitizableData apply(SanitizableData data) {
        String key = data.getKey();
        if (key == null) {
            return data;
        }
        String k = key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", ".");
        if (k.endsWith("apikey") || k.endsWith("api.key") || k.endsWith("personalapikey")
                || k.endsWith("personal.api.key")) {
            if (k.startsWith("posthog") || (data.getPropertySource() == null)) {
                return data.withSanitizedValue();
            }
        }
        return data;
    }

}
