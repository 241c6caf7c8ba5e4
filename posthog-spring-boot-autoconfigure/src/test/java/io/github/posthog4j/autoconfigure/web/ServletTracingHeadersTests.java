package io.github.posthog4j.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.PosthogContext;
import io.github.posthog4j.testsupport.PosthogStandIn;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.test.web.servlet.MockMvc;

/**
 * sdk-specs {@code tracing-headers}, server side, with the servlet filter and MockMvc:
 * one test per {@code @server} scenario of
 * {@code acceptance/private/tracing-headers.feature} (named after it), then the spec's
 * other server requirements (isolation, identity is not authentication, case-insensitive
 * names) and the {@code posthog.web.*} options.
 */
class ServletTracingHeadersTests {

    private final PosthogStandIn server = PosthogStandIn.start();

    private final WebApplicationContextRunner contextRunner = WebFixtures.servlet(this.server);

    @AfterEach
    void tearDown() {
        this.server.close();
        assertThat(PosthogContext.current()).as("no context left on the test thread").isNull();
    }

    @Test
    void serverMiddlewareAppliesTracingHeadersToRequestScopedCaptureContext() {
        this.contextRunner.run((context) -> {
            WebFixtures.mockMvc(context)
                .perform(get("/work").header("X-POSTHOG-DISTINCT-ID", "user-123")
                    .header("X-POSTHOG-SESSION-ID", "session-123"))
                .andExpect(status().isOk());
            List<JsonNode> events = WebFixtures.events(context, this.server, "Backend Work");
            assertThat(events).hasSize(1);
            assertThat(events.get(0).get("distinct_id").asText()).isEqualTo("user-123");
            assertThat(events.get(0).get("properties").get("$session_id").asText()).isEqualTo("session-123");
        });
    }

    @Test
    void explicitCaptureValuesOverrideServerTracingContext() {
        this.contextRunner.run((context) -> {
            WebFixtures.mockMvc(context)
                .perform(get("/explicit").header("X-POSTHOG-DISTINCT-ID", "header-user")
                    .header("X-POSTHOG-SESSION-ID", "header-session"))
                .andExpect(status().isOk());
            List<JsonNode> events = WebFixtures.events(context, this.server, "Backend Work");
            assertThat(events).hasSize(1);
            assertThat(events.get(0).get("distinct_id").asText()).isEqualTo("explicit-user");
            assertThat(events.get(0).get("properties").get("$session_id").asText()).isEqualTo("explicit-session");
        });
    }

    @Test
    void serverCaptureWithoutExplicitOrContextDistinctIdIsPersonless() {
        this.contextRunner.run((context) -> {
            WebFixtures.mockMvc(context)
                .perform(get("/work").header("X-POSTHOG-SESSION-ID", "session-123"))
                .andExpect(status().isOk());
            JsonNode event = WebFixtures.events(context, this.server, "Backend Work").get(0);
            assertThat(event.get("distinct_id").asText()).hasSize(36);
            assertThat(event.get("properties").get("$session_id").asText()).isEqualTo("session-123");
            assertThat(event.get("properties").get("$process_person_profile").asBoolean()).isFalse();
        });
    }

    @Test
    void serverFeatureFlagEvaluationWithoutExplicitOrContextDistinctIdIsEmpty() {
        this.server.route("/flags", (r) -> PosthogStandIn.Reply.ok()
            .json("{\"flags\": {\"beta\": {\"key\": \"beta\", \"enabled\": true, \"variant\": null}}}"));
        this.contextRunner.run((context) -> {
            WebFixtures.mockMvc(context)
                .perform(get("/flags").header("X-POSTHOG-SESSION-ID", "session-123"))
                .andExpect(status().isOk())
                .andExpect(content().string("[]"));
            assertThat(WebFixtures.events(context, this.server, "$feature_flag_called")).isEmpty();
            assertThat(this.server.requests()).noneMatch((r) -> r.path().startsWith("/flags"));
        });
    }

    @Test
    void serverSanitizesTracingHeaderValuesBeforeStoringContext() {
        this.contextRunner.run((context) -> {
            MockMvc mvc = WebFixtures.mockMvc(context);
            mvc.perform(get("/work").param("event", "Sanitized Work")
                .header("X-POSTHOG-DISTINCT-ID", "  user-\u0007123\t ")
                .header("X-POSTHOG-SESSION-ID", "x".repeat(1500)));
            mvc.perform(get("/work").param("event", "Empty Work")
                .header("X-POSTHOG-DISTINCT-ID", " \u0000 ")
                .header("X-POSTHOG-SESSION-ID", "\t"));
            List<JsonNode> events = WebFixtures.events(context, this.server);
            JsonNode sanitized = events.get(0);
            assertThat(sanitized.get("event").asText()).isEqualTo("Sanitized Work");
            assertThat(sanitized.get("distinct_id").asText()).isEqualTo("user-123");
            assertThat(sanitized.get("properties").get("$session_id").asText()).isEqualTo("x".repeat(1000));
            JsonNode empty = events.get(1);
            assertThat(empty.get("properties").get("$process_person_profile").asBoolean()).isFalse();
            assertThat(empty.get("properties").has("$session_id")).isFalse();
        });
    }

    // ---------------------------------------------------------------------------------------
    // spec.md server requirements

    @Test
    void headerNamesAreReadCaseInsensitively() {
        this.contextRunner.run((context) -> {
            WebFixtures.mockMvc(context)
                .perform(get("/work").header("x-posthog-distinct-id", "lower").header("X-PostHog-Session-Id", "s"));
            JsonNode event = WebFixtures.events(context, this.server).get(0);
            assertThat(event.get("distinct_id").asText()).isEqualTo("lower");
            assertThat(event.get("properties").get("$session_id").asText()).isEqualTo("s");
        });
    }

    @Test
    void requestContextsAreIsolated() {
        this.contextRunner.run((context) -> {
            MockMvc mvc = WebFixtures.mockMvc(context);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (String user : List.of("alice", "bob")) {
                    done.add(pool.submit(() -> mvc.perform(get("/pair").param("event", "work of " + user)
                        .header("X-POSTHOG-DISTINCT-ID", user)
                        .header("X-POSTHOG-SESSION-ID", "session-of-" + user))));
                }
                for (Future<?> f : done) {
                    f.get(20, TimeUnit.SECONDS);
                }
                // the pooled threads keep no context after their requests
                assertThat(pool.submit(PosthogContext::current).get()).isNull();
            }
            finally {
                pool.shutdownNow();
            }
            List<JsonNode> events = WebFixtures.events(context, this.server);
            assertThat(events).hasSize(2);
            for (JsonNode e : events) {
                String user = e.get("distinct_id").asText();
                assertThat(e.get("event").asText()).isEqualTo("work of " + user);
                assertThat(e.get("properties").get("$session_id").asText()).isEqualTo("session-of-" + user);
            }
        });
    }

    @Test
    void theAuthenticatedPrincipalSupersedesTheHeaderWhenConfigured() {
        this.contextRunner.withPropertyValues("posthog.web.distinct-id-from-principal=true").run((context) -> {
            MockMvc mvc = WebFixtures.mockMvc(context);
            mvc.perform(get("/work").param("event", "authenticated")
                .principal(new UsernamePasswordAuthenticationToken("alice", "secret",
                        AuthorityUtils.createAuthorityList("ROLE_USER")))
                .header("X-POSTHOG-DISTINCT-ID", "attacker-controlled-id"));
            mvc.perform(get("/work").param("event", "anonymous")
                .principal(new AnonymousAuthenticationToken("key", "anonymousUser",
                        AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")))
                .header("X-POSTHOG-DISTINCT-ID", "frontend-id"));
            List<JsonNode> events = WebFixtures.events(context, this.server);
            assertThat(events.get(0).get("distinct_id").asText()).isEqualTo("alice");
            assertThat(events.get(1).get("distinct_id").asText()).as("anonymous users are ignored")
                .isEqualTo("frontend-id");
        });
    }

    @Test
    void thePrincipalIsIgnoredUnlessConfigured() {
        this.contextRunner.run((context) -> {
            WebFixtures.mockMvc(context)
                .perform(get("/work").principal(new UsernamePasswordAuthenticationToken("alice", "secret", List.of()))
                    .header("X-POSTHOG-DISTINCT-ID", "frontend-id"));
            assertThat(WebFixtures.events(context, this.server).get(0).get("distinct_id").asText())
                .isEqualTo("frontend-id");
        });
    }

    @Test
    void requestPropertiesAreOnByDefaultAndTheClientIpIsOff() {
        this.contextRunner.run((context) -> {
            WebFixtures.mockMvc(context)
                .perform(get("/work?token=secret").header("User-Agent", "Mozilla/5.0\r\n").with((request) -> {
                    request.setRemoteAddr("203.0.113.7");
                    return request;
                }));
            JsonNode props = WebFixtures.events(context, this.server).get(0).get("properties");
            assertThat(props.get("$current_url").asText()).as("without the query string")
                .isEqualTo("http://localhost/work");
            assertThat(props.get("$request_method").asText()).isEqualTo("GET");
            assertThat(props.get("$request_path").asText()).isEqualTo("/work");
            assertThat(props.get("$user_agent").asText()).isEqualTo("Mozilla/5.0");
            assertThat(props.has("$ip")).isFalse();
        });
        this.server.reset();
        this.contextRunner.withPropertyValues("posthog.web.request-properties=false").run((context) -> {
            WebFixtures.mockMvc(context).perform(get("/work").header("User-Agent", "Mozilla/5.0"));
            JsonNode props = WebFixtures.events(context, this.server).get(0).get("properties");
            assertThat(props.has("$current_url") || props.has("$user_agent") || props.has("$request_path")).isFalse();
        });
        this.server.reset();
        this.contextRunner
            .withPropertyValues("posthog.web.request-properties=false", "posthog.web.capture-client-ip=true")
            .run((context) -> {
                WebFixtures.mockMvc(context).perform(get("/work").with((request) -> {
                    request.setRemoteAddr("203.0.113.7");
                    return request;
                }));
                JsonNode props = WebFixtures.events(context, this.server).get(0).get("properties");
                assertThat(props.get("$ip").asText()).isEqualTo("203.0.113.7");
                assertThat(props.has("$current_url")).isFalse();
            });
    }

    @Test
    void withTheFilterDisabledRequestsHaveNoContext() {
        this.contextRunner.withPropertyValues("posthog.web.enabled=false").run((context) -> {
            assertThat(context).doesNotHaveBean(PosthogRequestContextFilter.class)
                .hasSingleBean(PosthogHandlerExceptionResolver.class);
            WebFixtures.mockMvc(context).perform(get("/work").header("X-POSTHOG-DISTINCT-ID", "user-123"));
            assertThat(WebFixtures.events(context, this.server).get(0).get("distinct_id").asText())
                .isNotEqualTo("user-123");
        });
    }

}
