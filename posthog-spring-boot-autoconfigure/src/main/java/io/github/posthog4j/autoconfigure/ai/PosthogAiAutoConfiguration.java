package io.github.posthog4j.autoconfigure.ai;

import io.github.posthog4j.autoconfigure.PosthogAutoConfiguration;
import io.github.posthog4j.autoconfigure.PosthogProperties;
import io.github.posthog4j.client.PosthogClient;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The Spring AI bridge ({@code posthog.ai.*}), on when Spring AI's model API and
 * Micrometer's observation API are on the class path and {@code posthog.ai.enabled} is
 * not false: a {@link PosthogAiObservationHandler} that Spring Boot adds to the
 * application's {@link ObservationRegistry}. An application without one (no actuator)
 * gets a registry holding the handler, which Spring AI's model auto-configurations pick
 * up. Works with Spring AI 2.0 (Boot 4) and 1.1 (Boot 3.5): it uses only the observation
 * API both lines share.
 */
@AutoConfiguration(after = PosthogAutoConfiguration.class,
        afterName = { "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
                "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration" },
        beforeName = { "org.springframework.ai.model.chat.observation.autoconfigure.ChatObservationAutoConfiguration",
                "org.springframework.ai.model.embedding.observation.autoconfigure.EmbeddingObservationAutoConfiguration" })
@ConditionalOnClass(name = { "org.springframework.ai.chat.observation.ChatModelObservationContext",
        "io.micrometer.observation.ObservationHandler" })
@ConditionalOnProperty(prefix = "posthog.ai", name = "enabled", matchIfMissing = true)
@ConditionalOnBean(PosthogClient.class)
public final class PosthogAiAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PosthogAiObservationHandler posthogAiObservationHandler(PosthogClient posthogClient, Environment environment,
            ObjectProvider<PosthogAiDistinctIdResolver> resolvers) {
        PosthogProperties.Ai ai = Binder.get(environment)
            .bindOrCreate("posthog.ai", Bindable.of(PosthogProperties.Ai.class));
        AiEventMapper mapper = new AiEventMapper(ai.isPrivacyMode(), ai.isFullCapture(), ai.getMaxContentLength());
        return new PosthogAiObservationHandler(posthogClient, mapper, ai.isFullCapture(),
                resolvers.orderedStream().toList());
    }

    /**
     * A registry for applications that have none, so that Spring AI's observations reach
     * the bridge.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(ObservationRegistry.class)
    static class FallbackRegistryConfiguration {

        @Bean
        ObservationRegistry posthogAiObservationRegistry(PosthogAiObservationHandler handler) {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(handler);
            return registry;
        }

    }

}
