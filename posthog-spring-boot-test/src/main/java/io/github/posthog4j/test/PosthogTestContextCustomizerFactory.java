package io.github.posthog4j.test;

import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.jspecify.annotations.Nullable;

/**
 * For test classes with {@link AutoConfigurePosthog}: makes sure the auto-configured
 * client is a managed one, whose events the recorder receives, whatever the test's
 * {@code posthog.*} properties say: {@code posthog.enabled=true} (before every other
 * source) and, when no source sets one, a placeholder {@code posthog.api-key} (after
 * every other source). Nothing is sent with it.
 */
class PosthogTestContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        return TestContextAnnotationUtils.hasAnnotation(testClass, AutoConfigurePosthog.class)
                ? new PosthogTestContextCustomizer() : null;
    }

    static final class PosthogTestContextCustomizer implements ContextCustomizer {

        /** The key the client gets when the test configures none: never sent. */
        static final String PLACEHOLDER_KEY = "phc_posthog_test_kit_placeholder";

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            MutablePropertySources sources = context.getEnvironment().getPropertySources();
            sources.addFirst(new MapPropertySource("posthogTestKit", Map.of("posthog.enabled", "true")));
            sources
                .addLast(new MapPropertySource("posthogTestKitDefaults", Map.of("posthog.api-key", PLACEHOLDER_KEY)));
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return other != null && other.getClass() == getClass();
        }

        @Override
        public int hashCode() {
            return getClass().hashCode();
        }

    }

}
