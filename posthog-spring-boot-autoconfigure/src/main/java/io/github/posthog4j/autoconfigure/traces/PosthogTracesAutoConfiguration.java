package io.github.posthog4j.autoconfigure.traces;

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
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * The Micrometer bridge of PostHog traces ({@code posthog.traces.enabled=true}, and
 * {@code posthog.traces.observations} not false): a {@link PosthogObservationHandler}
 * that Spring Boot adds to the application's {@code ObservationRegistry}, so that HTTP
 * server and client requests, {@code @Observed} methods and the rest of Spring's
 * observations become PostHog spans. Ordered last, so that Micrometer Tracing's handler
 * (when present) starts its span first and the PostHog span takes its ids. Needs
 * Micrometer's observation API (and, for Spring's observations, an ObservationRegistry:
 * the actuator's); the client's own {@code startSpan} works without it.
 */
@AutoConfiguration(after = PosthogAutoConfiguration.class)
@ConditionalOnClass(name = "io.micrometer.observation.ObservationHandler")
@ConditionalOnProperty(prefix = "posthog.traces", name = "enabled", havingValue = "true")
@ConditionalOnBean(PosthogClient.class)
public final class PosthogTracesAutoConfiguration {

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    @ConditionalOnProperty(prefix = "posthog.traces", name = "observations", matchIfMissing = true)
    @ConditionalOnMissingBean
    PosthogObservationHandler posthogObservationHandler(PosthogClient posthogClient, Environment environment,
            ObjectProvider<SpanIds.Source> ids) {
        PosthogProperties properties = Binder.get(environment)
            .bindOrCreate("posthog", Bindable.of(PosthogProperties.class));
        return new PosthogObservationHandler(posthogClient, properties.getTraces().getExcludeObservations(),
                ids.getIfUnique(), new RequestContextReader());
    }

    /** The ids of Micrometer Tracing's spans, when it is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.tracing.handler.TracingObservationHandler")
    static class MicrometerTracingConfiguration {

        @Bean
        @ConditionalOnMissingBean(SpanIds.Source.class)
        SpanIds.Source posthogMicrometerSpanIds(ObjectProvider<Tracer> tracers) {
            return new MicrometerTracingSpanIds(tracers);
        }

    }

}
