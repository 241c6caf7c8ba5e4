package io.github.posthog4j.test;

import io.github.posthog4j.autoconfigure.PosthogAutoConfiguration;
import io.github.posthog4j.autoconfigure.PosthogClientCustomizer;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogClientBuilder;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.jspecify.annotations.Nullable;

/**
 * Test auto-configuration behind {@link AutoConfigurePosthog}: a {@link PosthogRecorder}
 * bean, a {@link PosthogClientCustomizer} that delivers every accepted event to it
 * instead of PostHog (and turns off local flag evaluation and the spool), and a
 * post-processor that lets the recorder answer the client's feature flag calls.
 */
@AutoConfiguration(before = PosthogAutoConfiguration.class)
public final class PosthogTestAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PosthogRecorder posthogRecorder() {
        return new PosthogRecorder();
    }

    @Bean
    RecorderCustomizer posthogRecorderCustomizer(PosthogRecorder posthogRecorder) {
        return new RecorderCustomizer(posthogRecorder);
    }

    @Bean
    static RecordingClientPostProcessor posthogRecordingClientPostProcessor(ObjectProvider<PosthogRecorder> recorder) {
        return new RecordingClientPostProcessor(recorder);
    }

    /**
     * Runs after every other customizer (so nothing undoes it) and on every
     * (re)configuration of the client.
     */
    static final class RecorderCustomizer implements PosthogClientCustomizer, Ordered {

        private final PosthogRecorder recorder;

        RecorderCustomizer(PosthogRecorder recorder) {
            this.recorder = recorder;
        }

        @Override
        public void customize(PosthogClientBuilder builder) {
            builder.deliverTo(recorder::record).localEvaluation(false).personalApiKey(null).spool(null);
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }

    }

    /**
     * Wraps the auto-configured managed client so that flag calls are answered by the
     * recorder (and recorded); everything else goes to the real client. A client bean the
     * application defines itself is left alone: it does not go through the customizers,
     * so the kit cannot record it.
     */
    static final class RecordingClientPostProcessor implements BeanPostProcessor, BeanFactoryAware {

        private static final String AUTO_CONFIGURATION_PACKAGE = "io.github.posthog4j.autoconfigure.";

        private static final String DISABLED_CLIENT = AUTO_CONFIGURATION_PACKAGE + "DisabledPosthogClient";

        private final ObjectProvider<PosthogRecorder> recorder;

        private @Nullable ConfigurableListableBeanFactory beanFactory;

        RecordingClientPostProcessor(ObjectProvider<PosthogRecorder> recorder) {
            this.recorder = recorder;
        }

        @Override
        public void setBeanFactory(BeanFactory beanFactory) {
            if (beanFactory instanceof ConfigurableListableBeanFactory listable) {
                this.beanFactory = listable;
            }
        }

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
            if (!(bean instanceof PosthogClient) || bean instanceof RecordingPosthogClient
                    || !autoConfigured(beanName)) {
                return bean;
            }
            if (bean instanceof ManagedPosthogClient client) {
                return new RecordingPosthogClient(client, recorder.getObject());
            }
            if (DISABLED_CLIENT.equals(bean.getClass().getName())) {
                throw new IllegalStateException("The PostHog test kit has nothing to record: the auto-configured "
                        + "PosthogClient is disabled (posthog.enabled=false, or no posthog.api-key). Use "
                        + "@AutoConfigurePosthog on the test class, or set posthog.api-key to any value (for "
                        + "example phc_test; nothing is sent) when you build the context yourself.");
            }
            return bean;
        }

        private boolean autoConfigured(String beanName) {
            if (beanFactory == null || !beanFactory.containsBeanDefinition(beanName)) {
                return false;
            }
            // the factory method that created the bean (AOT-generated definitions too)
            BeanDefinition merged = beanFactory.getMergedBeanDefinition(beanName);
            if (merged instanceof RootBeanDefinition root && root.getResolvedFactoryMethod() != null) {
                return root.getResolvedFactoryMethod()
                    .getDeclaringClass()
                    .getName()
                    .startsWith(AUTO_CONFIGURATION_PACKAGE);
            }
            BeanDefinition definition = beanFactory.getBeanDefinition(beanName);
            if (definition instanceof AnnotatedBeanDefinition annotated
                    && annotated.getFactoryMethodMetadata() != null) {
                return annotated.getFactoryMethodMetadata()
                    .getDeclaringClassName()
                    .startsWith(AUTO_CONFIGURATION_PACKAGE);
            }
            return false;
        }

    }

}
