package io.github.posthog4j.autoconfigure.web;

import io.github.posthog4j.autoconfigure.PosthogAutoConfiguration;
import io.github.posthog4j.autoconfigure.PosthogProperties;
import io.github.posthog4j.autoconfigure.exceptions.PosthogExceptionCaptor;
import io.github.posthog4j.autoconfigure.exceptions.PosthogExceptionsAutoConfiguration;
import io.github.posthog4j.client.PosthogClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * The PostHog integration of WebFlux applications: the request context web filter
 * ({@code posthog.web.*}) and the capture of exceptions that escape its handlers
 * ({@code posthog.exceptions.*}).
 */
@AutoConfiguration(after = { PosthogAutoConfiguration.class, PosthogExceptionsAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(name = { "org.springframework.web.server.WebFilter", "reactor.core.publisher.Mono" })
@ConditionalOnBean(PosthogClient.class)
public final class PosthogReactiveWebAutoConfiguration {

    @Bean
    @ConditionalOnProperty(name = "posthog.web.enabled", matchIfMissing = true)
    PosthogWebFilter posthogWebFilter(PosthogProperties properties) {
        return new PosthogWebFilter(new RequestContexts(properties.getWeb()));
    }

    @Bean
    @ConditionalOnBean(PosthogExceptionCaptor.class)
    PosthogWebExceptionHandler posthogWebExceptionHandler(PosthogExceptionCaptor captor) {
        return new PosthogWebExceptionHandler(captor);
    }

}
