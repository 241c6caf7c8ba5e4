package io.github.posthog4j.autoconfigure.metrics;

import io.github.posthog4j.autoconfigure.PosthogAutoConfiguration;
import io.github.posthog4j.client.ManagedPosthogClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@link PosthogMeterBinder} when Micrometer is present. Spring Boot binds it
 * to every {@code MeterRegistry} of the context; without a registry no meter exists.
 */
@AutoConfiguration(after = PosthogAutoConfiguration.class)
@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
@ConditionalOnBean(ManagedPosthogClient.class)
public final class PosthogMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PosthogMeterBinder posthogMeterBinder(ManagedPosthogClient client) {
        return new PosthogMeterBinder(client);
    }

}
