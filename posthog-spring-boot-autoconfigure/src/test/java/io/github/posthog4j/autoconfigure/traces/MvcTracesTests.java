package io.github.posthog4j.autoconfigure.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.autoconfigure.PosthogAutoConfiguration;
import io.github.posthog4j.autoconfigure.web.PosthogServletWebAutoConfiguration;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.Observation;
import jakarta.servlet.Filter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.WebMvcObservationAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/**
 * The Micrometer bridge in a Spring MVC application (MockMvc, Spring Boot's observation
 * auto-configuration): a request becomes a server span named by its route template, with
 * the request's PostHog distinct id and session id (from the tracing headers), the
 * variable parts as attributes, and the spans and log records made while it is handled as
 * its children.
 */
class MvcTracesTests {

    private final PosthogStandIn server = PosthogStandIn.start();

    private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
                WebMvcObservationAutoConfiguration.class, PosthogAutoConfiguration.class,
                PosthogServletWebAutoConfiguration.class, PosthogTracesAutoConfiguration.class))
        .withUserConfiguration(UsersApplication.class)
        .withPropertyValues("posthog.api-key=phc_mvc_traces", "posthog.host=" + this.server.url(),
                "posthog.traces.enabled=true", "posthog.traces.flush-interval=50ms",
                "posthog.logs.flush-interval=50ms");

    @AfterEach
    void tearDown() {
        this.server.close();
    }

    /** MockMvc with the application's servlet filters, in their order. */
    private static MockMvc mockMvc(ApplicationContext context) {
        List<Object> filters = new ArrayList<>(context.getBeansOfType(Filter.class).values());
        for (FilterRegistrationBean<?> registration : context.getBeansOfType(FilterRegistrationBean.class).values()) {
            filters.add(registration);
        }
        filters.sort(AnnotationAwareOrderComparator.INSTANCE);
        Filter[] ordered = filters.stream()
            .map((f) -> (f instanceof FilterRegistrationBean<?> r) ? r.getFilter() : (Filter) f)
            .toArray(Filter[]::new);
        return MockMvcBuilders.webAppContextSetup((WebApplicationContext) context).addFilters(ordered).build();
    }

    private static Map<String, String> attributes(JsonNode span) {
        Map<String, String> out = new LinkedHashMap<>();
        span.path("attributes")
            .forEach((kv) -> out.put(kv.get("key").asText(), kv.get("value").path("stringValue").asText()));
        return out;
    }

    private static JsonNode named(List<JsonNode> spans, String name) {
        return spans.stream()
            .filter((s) -> s.get("name").asText().equals(name))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
    }

    @Test
    void aRequestBecomesAServerSpanWithTheRouteTemplateAndTheRequestsPosthogContext() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(PosthogObservationHandler.class);
            mockMvc(context)
                .perform(get("/users/123").header("X-POSTHOG-DISTINCT-ID", "user-123")
                    .header("X-POSTHOG-SESSION-ID", "session-123"))
                .andExpect(status().isOk());
            context.getBean(PosthogClient.class).flush();
            List<JsonNode> spans = this.server.spans();
            JsonNode request = named(spans, "http get /users/{id}");
            assertThat(request.get("kind").asInt()).isEqualTo(2);
            assertThat(attributes(request)).containsEntry("uri", "/users/{id}")
                .containsEntry("http.url", "/users/123")
                .containsEntry("status", "200")
                .containsEntry("posthogDistinctId", "user-123")
                .containsEntry("sessionId", "session-123");
            // the variable part is an attribute, never in the name
            assertThat(spans).extracting((s) -> s.get("name").asText()).noneMatch((n) -> n.contains("123"));
            JsonNode lookup = named(spans, "users.lookup");
            assertThat(lookup.get("parentSpanId")).isEqualTo(request.get("spanId"));
            assertThat(attributes(lookup)).containsEntry("posthogDistinctId", "user-123");
            JsonNode log = this.server.logRecords().get(0);
            assertThat(log.get("traceId")).isEqualTo(request.get("traceId"));
            assertThat(log.get("spanId")).isEqualTo(lookup.get("spanId"));
        });
    }

    @Test
    void whenTracesAreNotEnabledThereIsNoBridge() {
        this.contextRunner.withPropertyValues("posthog.traces.enabled=false").run((context) -> {
            assertThat(context).doesNotHaveBean(PosthogObservationHandler.class);
            mockMvc(context).perform(get("/users/7")).andExpect(status().isOk());
            context.getBean(PosthogClient.class).flush();
            assertThat(this.server.traceRequests()).isEmpty();
        });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebMvc
    @Import({ UsersApplication.Users.class, UsersApplication.Lookup.class })
    static class UsersApplication {

        @RestController
        static class Users {

            private final Lookup lookup;

            Users(Lookup lookup) {
                this.lookup = lookup;
            }

            @GetMapping("/users/{id}")
            String user(@PathVariable String id) {
                return this.lookup.find(id);
            }

        }

        static class Lookup {

            private final PosthogClient posthog;

            private final ObservationRegistry registry;

            Lookup(PosthogClient posthog, ObservationRegistry registry) {
                this.posthog = posthog;
                this.registry = registry;
            }

            /** What {@code @Observed} does, without AspectJ. */
            String find(String id) {
                return Observation.createNotStarted("users.lookup", this.registry).observe(() -> {
                    this.posthog.captureLog("looked up a user");
                    return "user " + id;
                });
            }

        }

    }

}
