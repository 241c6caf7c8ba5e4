package io.github.posthog4j.autoconfigure.endpoint;

import io.github.posthog4j.autoconfigure.PosthogAutoConfiguration;
import io.github.posthog4j.autoconfigure.PosthogProperties;
import io.github.posthog4j.client.ManagedPosthogClient;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Registers the {@code posthog} actuator endpoint ({@link PosthogEndpoint}) when the
 * actuator is present, the client is a managed one and the endpoint is available (Spring
 * Boot's {@code management.endpoint.posthog.*} and
 * {@code management.endpoints.*.exposure.*} rules: over HTTP only once included). The
 * same class serves Spring Boot 3.5 and 4.
 */
@AutoConfiguration(after = PosthogAutoConfiguration.class)
@ConditionalOnClass(name = { "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
        "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint" })
@ConditionalOnBean(ManagedPosthogClient.class)
public final class PosthogEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(endpoint = PosthogEndpoint.class)
    PosthogEndpoint posthogEndpoint(ManagedPosthogClient posthogClient, Environment environment) {
        return new PosthogEndpoint(posthogClient,
                () -> Binder.get(environment).bindOrCreate("posthog", Bindable.of(PosthogProperties.class)));
    }

}
