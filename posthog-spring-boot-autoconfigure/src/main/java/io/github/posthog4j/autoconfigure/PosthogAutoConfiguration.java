package io.github.posthog4j.autoconfigure;

import io.github.posthog4j.client.BeforeSendHook;
import io.github.posthog4j.client.BeforeSendLogHook;
import io.github.posthog4j.client.BeforeSpanSendHook;
import io.github.posthog4j.client.FlagDefinitionCacheProvider;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of the {@link PosthogClient} bean.
 *
 * <p>
 * With {@code posthog.api-key} set (or {@code posthog.enabled=true}), the bean is a
 * {@link ManagedPosthogClient} built stopped from the {@code posthog.*} properties, the
 * {@link BeforeSendHook} beans, a {@link FlagDefinitionCacheProvider} bean and the
 * {@link PosthogClientCustomizer} beans; a {@link PosthogLifecycle} starts its engine on
 * {@code ApplicationReadyEvent} and follows the context's lifecycle afterwards; the
 * context closes it. Without a key (and {@code posthog.enabled} unset) or with
 * {@code posthog.enabled=false}, the bean is a no-op client. A {@code PosthogClient} bean
 * of the application replaces all of this.
 */
@AutoConfiguration
@EnableConfigurationProperties(PosthogProperties.class)
public final class PosthogAutoConfiguration {

    private static final Log log = LogFactory.getLog(PosthogAutoConfiguration.class);

    @Configuration(proxyBeanMethods = false)
    @Conditional(OnPosthogEnabledCondition.class)
    @ConditionalOnMissingBean(PosthogClient.class)
    static class ManagedClientConfiguration {

        @Bean
        PosthogClientFactory posthogClientFactory(org.springframework.core.env.Environment environment,
                ObjectProvider<BeforeSendHook> hooks, ObjectProvider<PosthogClientCustomizer> customizers,
                ObjectProvider<FlagDefinitionCacheProvider> definitionCaches,
                ObjectProvider<BeforeSendLogHook> logHooks, ObjectProvider<BeforeSpanSendHook> spanHooks) {
            return new PosthogClientFactory(environment, hooks, customizers, definitionCaches, logHooks, spanHooks);
        }

        @Bean(destroyMethod = "close")
        ManagedPosthogClient posthogClient(PosthogClientFactory posthogClientFactory) {
            return posthogClientFactory.createStopped();
        }

        @Bean
        PosthogLifecycle posthogLifecycle(ManagedPosthogClient posthogClient,
                PosthogClientFactory posthogClientFactory) {
            return new PosthogLifecycle(posthogClient, posthogClientFactory);
        }

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "org.springframework.cloud.context.environment.EnvironmentChangeEvent")
        static class EnvironmentChangeConfiguration {

            @Bean
            PosthogEnvironmentChangeListener posthogEnvironmentChangeListener(PosthogLifecycle posthogLifecycle) {
                return new PosthogEnvironmentChangeListener(posthogLifecycle);
            }

        }

    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(OnPosthogDisabledCondition.class)
    @ConditionalOnMissingBean(PosthogClient.class)
    static class DisabledClientConfiguration {

        @Bean
        PosthogClient posthogClient(PosthogProperties properties) {
            if (properties.getEnabled() == null) {
                log.warn("PostHog is disabled because posthog.api-key is not set: events are ignored. Set "
                        + "posthog.api-key to your project API key, or posthog.enabled=false to silence this "
                        + "warning.");
            }
            else {
                log.info("PostHog is disabled (posthog.enabled=false): events are ignored.");
            }
            return new DisabledPosthogClient();
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.SanitizingFunction")
    static class SanitizingConfiguration {

        @Bean
        static PosthogSanitizingFunction posthogSanitizingFunction() {
            return new PosthogSanitizingFunction();
        }

    }

    /**
     * Matches when the client should deliver: not disabled, and a key is set or it is
     * explicitly enabled.
     */
    static final class OnPosthogEnabledCondition extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Binder binder = Binder.get(context.getEnvironment());
            Boolean enabled = binder.bind("posthog.enabled", Boolean.class).orElse(null);
            String key = binder.bind("posthog.api-key", String.class).orElse(null);
            if (Boolean.FALSE.equals(enabled)) {
                return ConditionOutcome.noMatch("posthog.enabled is false");
            }
            if (Boolean.TRUE.equals(enabled)) {
                return ConditionOutcome.match("posthog.enabled is true");
            }
            return StringUtils.hasText(key) ? ConditionOutcome.match("posthog.api-key is set")
                    : ConditionOutcome.noMatch("posthog.api-key is not set");
        }

    }

    /** The negation of {@link OnPosthogEnabledCondition}. */
    static final class OnPosthogDisabledCondition extends SpringBootCondition {

        private final OnPosthogEnabledCondition enabled = new OnPosthogEnabledCondition();

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            ConditionOutcome outcome = enabled.getMatchOutcome(context, metadata);
            return outcome.isMatch() ? ConditionOutcome.noMatch(outcome.getMessage())
                    : ConditionOutcome.match(outcome.getMessage());
        }

    }

}
