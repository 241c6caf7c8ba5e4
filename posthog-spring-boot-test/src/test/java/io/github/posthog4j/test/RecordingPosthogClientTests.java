package io.github.posthog4j.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.ManagedPosthogClient;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Guards of the recording client against changes of the client's API: every method of
 * {@link ManagedPosthogClient} (defaults included) must be implemented by
 * {@link RecordingPosthogClient}, or a new default method would silently skip the real
 * client; and every part of {@link CaptureOptions} must be copied when fixed flags are
 * attached to a capture.
 */
class RecordingPosthogClientTests {

    /**
     * The {@link CaptureOptions} accessors that {@code withFixedFlags} copies or sets.
     */
    private static final Set<String> COPIED = Set.of("distinctId", "event", "properties", "timestamp", "uuid", "groups",
            "set", "setOnce", "disableGeoip", "sendFeatureFlags", "featureFlagOptions", "flags", "cookielessMode",
            "disableSkewCorrection", "processPersonProfile", "productTourId");

    @Test
    void whenTheClientInterfaceGrowsShouldImplementEveryMethod() {
        Set<String> missing = Arrays.stream(ManagedPosthogClient.class.getMethods())
            .filter((m) -> !Modifier.isStatic(m.getModifiers()))
            .filter((m) -> declaringClass(m) != RecordingPosthogClient.class)
            .map(Method::toGenericString)
            .collect(Collectors.toCollection(java.util.TreeSet::new));
        assertThat(missing).as("methods RecordingPosthogClient must delegate (or answer from the recorder)").isEmpty();
    }

    @Test
    void whenCaptureOptionsGrowShouldCopyEveryPart() {
        Set<String> accessors = Arrays.stream(CaptureOptions.class.getDeclaredMethods())
            .filter((m) -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
            .filter((m) -> m.getParameterCount() == 0)
            .map(Method::getName)
            .filter((n) -> !Set.of("toString", "hashCode").contains(n))
            .collect(Collectors.toSet());
        assertThat(COPIED).as("CaptureOptions parts copied by RecordingPosthogClient.withFixedFlags")
            .containsExactlyInAnyOrderElementsOf(accessors);
    }

    private static Class<?> declaringClass(Method method) {
        try {
            return RecordingPosthogClient.class.getMethod(method.getName(), method.getParameterTypes())
                .getDeclaringClass();
        }
        catch (NoSuchMethodException ex) {
            return null;
        }
    }

}
