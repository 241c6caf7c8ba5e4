package io.github.posthog4j.autoconfigure.openfeature;

import dev.openfeature.sdk.OpenFeatureAPI;
import io.github.posthog4j.autoconfigure.PosthogAutoConfiguration;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.openfeature.PosthogProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Registers a {@link PosthogProvider} on the {@link PosthogClient} bean as the default
 * provider of the OpenFeature API, when the OpenFeature SDK and posthog-openfeature are
 * on the class path and {@code posthog.openfeature.enabled} is not false. A
 * {@code PosthogProvider} bean of the application replaces the auto-configured one.
 */
@AutoConfiguration(after = PosthogAutoConfiguration.class)
@ConditionalOnClass(name = { "dev.openfeature.sdk.OpenFeatureAPI", "io.github.posthog4j.openfeature.PosthogProvider" })
@ConditionalOnBean(PosthogClient.class)
@ConditionalOnProperty(prefix = "posthog.openfeature", name = "enabled", matchIfMissing = true)
public final class PosthogOpenFeatureAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PosthogProvider posthogOpenFeatureProvider(PosthogClient posthogClient) {
        return new PosthogProvider(posthogClient);
    }

    @Bean
    OpenFeatureRegistration posthogOpenFeatureRegistration(PosthogProvider posthogOpenFeatureProvider) {
        return new OpenFeatureRegistration(OpenFeatureAPI.getInstance(), posthogOpenFeatureProvider);
    }

}
