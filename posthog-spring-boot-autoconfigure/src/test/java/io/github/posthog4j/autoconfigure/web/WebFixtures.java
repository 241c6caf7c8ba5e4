package io.github.posthog4j.autoconfigure.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.autoconfigure.PosthogAutoConfiguration;
import io.github.posthog4j.autoconfigure.exceptions.PosthogExceptionsAutoConfiguration;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.testsupport.PosthogStandIn;
import jakarta.servlet.Filter;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/** What the web tests share: context runners pointed at a stand-in, MockMvc, events. */
final class WebFixtures {

    private WebFixtures() {
    }

    static WebApplicationContextRunner servlet(PosthogStandIn server) {
        return new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PosthogAutoConfiguration.class,
                    PosthogExceptionsAutoConfiguration.class, PosthogServletWebAutoConfiguration.class))
            .withUserConfiguration(MvcTestApplication.class)
            .withPropertyValues("posthog.api-key=phc_web_test", "posthog.host=" + server.url(),
                    "posthog.flush-interval=50ms");
    }

    static ReactiveWebApplicationContextRunner reactive(PosthogStandIn server) {
        return new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PosthogAutoConfiguration.class,
                    PosthogExceptionsAutoConfiguration.class, PosthogReactiveWebAutoConfiguration.class))
            .withUserConfiguration(WebFluxTestApplication.class)
            .withPropertyValues("posthog.api-key=phc_web_test", "posthog.host=" + server.url(),
                    "posthog.flush-interval=50ms");
    }

    /** MockMvc over the context, with the context's servlet filters (ours). */
    static MockMvc mockMvc(ApplicationContext context) {
        return MockMvcBuilders.webAppContextSetup((WebApplicationContext) context)
            .addFilters(context.getBeansOfType(Filter.class).values().toArray(new Filter[0]))
            .build();
    }

    /** Flushes the context's client and returns what the stand-in received. */
    static List<JsonNode> events(ApplicationContext context, PosthogStandIn server) {
        context.getBean(PosthogClient.class).flush();
        return server.events();
    }

    static List<JsonNode> events(ApplicationContext context, PosthogStandIn server, String name) {
        return events(context, server).stream().filter((e) -> e.get("event").asText().equals(name)).toList();
    }

}
