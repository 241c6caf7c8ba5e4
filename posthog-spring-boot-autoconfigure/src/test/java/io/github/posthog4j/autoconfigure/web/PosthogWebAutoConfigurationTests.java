package io.github.posthog4j.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posthog4j.autoconfigure.PosthogAutoConfiguration;
import io.github.posthog4j.autoconfigure.context.PosthogContextPropagationAutoConfiguration;
import io.github.posthog4j.autoconfigure.exceptions.PosthogExceptionCaptor;
import io.github.posthog4j.autoconfigure.exceptions.PosthogExceptionsAutoConfiguration;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.testsupport.PosthogStandIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;

/**
 * Which parts of the integration exist where: a plain application without the optional
 * libraries (no Spring MVC, WebFlux, Reactor, servlet API, Spring Security or
 * context-propagation) still starts and captures exceptions; servlet and reactive
 * applications get their own parts only.
 */
class PosthogWebAutoConfigurationTests {

    private final PosthogStandIn server = PosthogStandIn.start();

    private final AutoConfigurations all = AutoConfigurations.of(PosthogAutoConfiguration.class,
            PosthogExceptionsAutoConfiguration.class, PosthogServletWebAutoConfiguration.class,
            PosthogReactiveWebAutoConfiguration.class, PosthogContextPropagationAutoConfiguration.class,
            TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class);

    @AfterEach
    void tearDown() {
        this.server.close();
    }

    @Test
    void aPlainApplicationWithoutTheOptionalLibrariesStartsAndCaptures() {
        new ApplicationContextRunner().withConfiguration(this.all)
            .withClassLoader(
                    new FilteredClassLoader("org.springframework.web.servlet.", "org.springframework.web.reactive.",
                            "reactor.", "jakarta.servlet.", "org.springframework.security.", "io.micrometer.context."))
            .withPropertyValues("posthog.api-key=phc_plain", "posthog.host=" + this.server.url())
            .run((context) -> {
                assertThat(context).hasNotFailed()
                    .hasSingleBean(PosthogExceptionCaptor.class)
                    .doesNotHaveBean(PosthogRequestContextFilter.class)
                    .doesNotHaveBean(PosthogHandlerExceptionResolver.class)
                    .doesNotHaveBean(PosthogWebFilter.class)
                    .doesNotHaveBean(PosthogWebExceptionHandler.class)
                    .doesNotHaveBean(ContextPropagatingTaskDecorator.class);
                PosthogClient client = context.getBean(PosthogClient.class);
                assertThat(client.captureException(new IllegalStateException("batch job failed"))).isNotNull();
                client.flush();
                assertThat(this.server.events()).hasSize(1);
            });
    }

    @Test
    void aServletApplicationGetsTheFilterAndTheResolver() {
        WebFixtures.servlet(this.server)
            .run((context) -> assertThat(context).hasSingleBean(PosthogRequestContextFilter.class)
                .hasSingleBean(PosthogHandlerExceptionResolver.class)
                .doesNotHaveBean(PosthogWebFilter.class));
    }

    @Test
    void aReactiveApplicationGetsTheWebFilterAndTheExceptionHandler() {
        WebFixtures.reactive(this.server)
            .run((context) -> assertThat(context).hasSingleBean(PosthogWebFilter.class)
                .hasSingleBean(PosthogWebExceptionHandler.class)
                .doesNotHaveBean(PosthogRequestContextFilter.class));
    }

    @Test
    void withoutAnApiKeyTheIntegrationStaysAndCapturesNothing() {
        new ApplicationContextRunner().withConfiguration(this.all).run((context) -> {
            assertThat(context).hasNotFailed().hasSingleBean(PosthogExceptionCaptor.class);
            assertThat(context.getBean(PosthogClient.class).captureException(new IllegalStateException("x"))).isNull();
            assertThat(this.server.requests()).isEmpty();
        });
    }

}
