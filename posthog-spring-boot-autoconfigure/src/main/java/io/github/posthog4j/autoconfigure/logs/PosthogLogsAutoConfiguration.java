package io.github.posthog4j.autoconfigure.logs;

import io.github.posthog4j.autoconfigure.PosthogAutoConfiguration;
import io.github.posthog4j.autoconfigure.PosthogProperties;
import io.github.posthog4j.client.PosthogClient;
import io.micrometer.tracing.Tracer;
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
 * PostHog logs from Logback ({@code posthog.logs.enabled=true}): a
 * {@link PosthogLogbackAppender} on the root logger, sending events at or above
 * {@code posthog.logs.level} (WARN by default). When Micrometer Tracing is present, its
 * current trace and span ids go with each record. Needs Logback as the logging system
 * (Spring Boot's default); the starter works without it.
 */
@AutoConfiguration(after = PosthogAutoConfiguration.class)
@ConditionalOnClass(name = "ch.qos.logback.classic.LoggerContext")
@ConditionalOnProperty(prefix = "posthog.logs", name = "enabled", havingValue = "true")
@ConditionalOnBean(PosthogClient.class)
public final class PosthogLogsAutoConfiguration {

    @Bean
    PosthogLogbackRegistration posthogLogbackAppender(PosthogClient posthogClient, Environment environment,
            ObjectProvider<TraceIds.Source> traceIds) {
        PosthogProperties properties = Binder.get(environment)
            .bindOrCreate("posthog", Bindable.of(PosthogProperties.class));
        return new PosthogLogbackRegistration(posthogClient, properties.getLogs(), traceIds.getIfUnique());
    }

    /**
     * The ids of Micrometer Tracing's current span, when it is on the class path (its
     * tracer is looked up on first use).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.tracing.Tracer")
    static class MicrometerTracingIdsConfiguration {

        @Bean
        @ConditionalOnMissingBean(TraceIds.Source.class)
        TraceIds.Source posthogMicrometerTraceIds(ObjectProvider<Tracer> tracers) {
            return new MicrometerTraceIds(tracers);
        }

    }

}
