package io.github.posthog4j.autoconfigure.health;

import io.github.posthog4j.autoconfigure.PosthogAutoConfiguration;
import io.github.posthog4j.autoconfigure.PosthogProperties;
import io.github.posthog4j.client.ManagedPosthogClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Registers the {@code posthog} health indicator on Spring Boot 4 (where health lives in
 * {@code org.springframework.boot.health}). Off with
 * {@code management.health.posthog.enabled=false}.
 */
@AutoConfiguration(after = PosthogAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(ManagedPosthogClient.class)
@ConditionalOnProperty(name = "management.health.posthog.enabled", matchIfMissing = true)
public final class PosthogHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "posthogHealthIndicator")
    PosthogHealthIndicator posthogHealthIndicator(ManagedPosthogClient client, PosthogProperties properties) {
        return new PosthogHealthIndicator(client, properties.getHealth().isDownWhenUnreachable());
    }

}
