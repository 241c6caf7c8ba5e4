package io.github.posthog4j.autoconfigure.web;

import io.github.posthog4j.autoconfigure.PosthogAutoConfiguration;
import io.github.posthog4j.autoconfigure.PosthogProperties;
import io.github.posthog4j.autoconfigure.exceptions.PosthogExceptionCaptor;
import io.github.posthog4j.autoconfigure.exceptions.PosthogExceptionsAutoConfiguration;
import io.github.posthog4j.client.PosthogClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The PostHog integration of servlet web applications: the request context filter
 * ({@code posthog.web.*}) and, with Spring MVC, the capture of exceptions that escape its
 * handlers ({@code posthog.exceptions.*}).
 */
@AutoConfiguration(after = { PosthogAutoConfiguration.class, PosthogExceptionsAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = { "jakarta.servlet.Filter", "org.springframework.web.filter.OncePerRequestFilter" })
@ConditionalOnBean(PosthogClient.class)
public final class PosthogServletWebAutoConfiguration {

    @Bean
    @ConditionalOnProperty(name = "posthog.web.enabled", matchIfMissing = true)
    PosthogRequestContextFilter posthogRequestContextFilter(PosthogProperties properties,
            ObjectProvider<PosthogExceptionCaptor> captor) {
        return new PosthogRequestContextFilter(new RequestContexts(properties.getWeb()), captor.getIfAvailable());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.web.servlet.HandlerExceptionResolver")
    @ConditionalOnBean(PosthogExceptionCaptor.class)
    static class MvcExceptionsConfiguration {

        @Bean
        PosthogHandlerExceptionResolver posthogHandlerExceptionResolver(PosthogExceptionCaptor captor) {
            return new PosthogHandlerExceptionResolver(captor);
        }

    }

}
