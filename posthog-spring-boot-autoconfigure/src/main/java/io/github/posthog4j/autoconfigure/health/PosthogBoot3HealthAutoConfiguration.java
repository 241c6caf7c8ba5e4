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
 * Registers the {@code posthog} health indicator on Spring Boot 3.5 (where health lives
 * in {@code org.springframework.boot.actuate.health}). The jar is compiled against Boot
 * 4; this configuration and {@link PosthogBoot3HealthIndicator} are only loaded when the
 * Boot 3 health API is present. Off with {@code management.health.posthog.enabled=false}.
 * Ordered after the Boot 4 configuration so that the Boot 4 indicator wins on a class
 * path that has both APIs.
 */
@AutoConfiguration(after = PosthogAutoConfiguration.class,
        afterName = "io.github.posthog4j.autoconfigure.health.PosthogHealthAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
@ConditionalOnBean(ManagedPosthogClient.class)
@ConditionalOnProperty(name = "management.health.posthog.enabled", matchIfMissing = true)
public final class PosthogBoot3HealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "posthogHealthIndicator")
    PosthogBoot3HealthIndicator posthogHealthIndicator(ManagedPosthogClient client, PosthogProperties properties) {
        return new PosthogBoot3HealthIndicator(client, properties.getHealth().isDownWhenUnreachable());
    }

}
