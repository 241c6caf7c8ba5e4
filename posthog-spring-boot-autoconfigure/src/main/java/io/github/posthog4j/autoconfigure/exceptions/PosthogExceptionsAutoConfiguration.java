package io.github.posthog4j.autoconfigure.exceptions;

import io.github.posthog4j.autoconfigure.PosthogAutoConfiguration;
import io.github.posthog4j.autoconfigure.PosthogClientCustomizer;
import io.github.posthog4j.autoconfigure.PosthogProperties;
import io.github.posthog4j.client.PosthogClient;
import java.util.List;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.task.SimpleAsyncTaskSchedulerCustomizer;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Error tracking with the starter: the application's packages are the client's in-app
 * packages (unless {@code posthog.exceptions.in-app-packages} says otherwise), failed
 * {@code @Scheduled} tasks are captured through the task scheduler's error handler, and,
 * with {@code posthog.exceptions.uncaught-handler=true}, uncaught exceptions of any
 * thread. The web integrations (Spring MVC, WebFlux) use the
 * {@link PosthogExceptionCaptor} defined here.
 */
@AutoConfiguration(after = PosthogAutoConfiguration.class)
@ConditionalOnBean(PosthogClient.class)
public final class PosthogExceptionsAutoConfiguration {

    @Bean
    static PosthogClientCustomizer posthogInAppPackagesCustomizer(BeanFactory beanFactory, Environment environment) {
        return (builder) -> {
            List<String> configured = Binder.get(environment)
                .bind("posthog.exceptions.in-app-packages", Bindable.listOf(String.class))
                .orElse(List.of());
            if (configured.isEmpty() && AutoConfigurationPackages.has(beanFactory)) {
                builder.inAppPackages(AutoConfigurationPackages.get(beanFactory));
            }
        };
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "posthog.exceptions.enabled", matchIfMissing = true)
    static class AutocaptureConfiguration {

        @Bean
        PosthogExceptionCaptor posthogExceptionCaptor(PosthogClient posthogClient, PosthogProperties properties) {
            return new PosthogExceptionCaptor(posthogClient, properties.getExceptions().getIgnored());
        }

        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE) // an application's own error handler, set
                                           // later, wins
        ThreadPoolTaskSchedulerCustomizer posthogThreadPoolTaskSchedulerCustomizer(PosthogExceptionCaptor captor) {
            return (scheduler) -> scheduler.setErrorHandler(new PosthogScheduledErrorHandler(captor));
        }

        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        @ConditionalOnClass(name = "org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler")
        SimpleAsyncTaskSchedulerCustomizer posthogSimpleAsyncTaskSchedulerCustomizer(PosthogExceptionCaptor captor) {
            return (scheduler) -> scheduler.setErrorHandler(new PosthogScheduledErrorHandler(captor));
        }

        @Bean
        @ConditionalOnProperty(name = "posthog.exceptions.uncaught-handler", havingValue = "true")
        PosthogUncaughtExceptionHandler posthogUncaughtExceptionHandler(PosthogExceptionCaptor captor,
                PosthogClient posthogClient) {
            return new PosthogUncaughtExceptionHandler(captor, posthogClient);
        }

    }

}
