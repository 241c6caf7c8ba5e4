package io.github.posthog4j.autoconfigure.context;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;

/**
 * Makes the PostHog context follow work handed to Spring Boot's task executors
 * ({@code @Async} methods, the application task executor, virtual threads): a
 * {@link ContextPropagatingTaskDecorator} bean, which Boot applies to the executors it
 * builds, unless the application defines a {@link TaskDecorator} of its own (then that
 * one decides). The decorator carries every registered thread-local (the PostHog context,
 * and others such as Micrometer's observations). Off with
 * {@code posthog.context-propagation=false}.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration")
@ConditionalOnClass(name = "io.micrometer.context.ContextSnapshotFactory")
@ConditionalOnProperty(name = "posthog.context-propagation", matchIfMissing = true)
public final class PosthogContextPropagationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(TaskDecorator.class)
    ContextPropagatingTaskDecorator posthogContextPropagatingTaskDecorator() {
        return new ContextPropagatingTaskDecorator();
    }

}
