package io.github.posthog4j.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.testsupport.PosthogStandIn;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Hooks;

/**
 * The WebFlux side with WebTestClient: the web filter's context reaches captures made on
 * other threads of the pipeline (Reactor's automatic context propagation, as
 * {@code spring.reactor.context-propagation=auto} turns it on), stays per request, and
 * the exception handler captures escaping failures without changing the response.
 */
class WebFluxIntegrationTests {

    private final PosthogStandIn server = PosthogStandIn.start();

    private final ReactiveWebApplicationContextRunner contextRunner = WebFixtures.reactive(this.server);

    @BeforeAll
    static void automaticContextPropagation() {
        Hooks.enableAutomaticContextPropagation();
    }

    @AfterAll
    static void noAutomaticContextPropagation() {
        Hooks.disableAutomaticContextPropagation();
    }

    @AfterEach
    void tearDown() {
        this.server.close();
    }

    private static WebTestClient client(ApplicationContext context) {
        return WebTestClient.bindToApplicationContext(context).build();
    }

    @Test
    void serverMiddlewareAppliesTracingHeadersToRequestScopedCaptureContext() {
        this.contextRunner.run((context) -> {
            EntityExchangeResult<String> result = client(context).get()
                .uri("/work")
                .header("X-POSTHOG-DISTINCT-ID", "user-123")
                .header("X-POSTHOG-SESSION-ID", "session-123")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult();
            assertThat(result.getResponseBody()).as("captured on another thread").startsWith("boundedElastic");
            JsonNode event = WebFixtures.events(context, this.server, "Backend Work").get(0);
            assertThat(event.get("distinct_id").asText()).isEqualTo("user-123");
            assertThat(event.get("properties").get("$session_id").asText()).isEqualTo("session-123");
        });
    }

    @Test
    void requestContextsAreIsolated() {
        this.contextRunner.run((context) -> {
            WebTestClient client = client(context);
            List<CompletableFuture<?>> done = new ArrayList<>();
            for (String user : List.of("alice", "bob", "carol")) {
                done.add(CompletableFuture.runAsync(() -> client.get()
                    .uri("/work?event=work of " + user + "&delayMillis=100")
                    .header("X-POSTHOG-DISTINCT-ID", user)
                    .exchange()
                    .expectStatus()
                    .isOk()));
            }
            CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0])).get(20, TimeUnit.SECONDS);
            List<JsonNode> events = WebFixtures.events(context, this.server);
            assertThat(events).hasSize(3);
            for (JsonNode e : events) {
                assertThat(e.get("event").asText()).isEqualTo("work of " + e.get("distinct_id").asText());
            }
        });
    }

    @Test
    void theAuthenticatedPrincipalSupersedesTheHeaderWhenConfigured() {
        this.contextRunner.withPropertyValues("posthog.web.distinct-id-from-principal=true").run((context) -> {
            client(context).get()
                .uri("/work")
                .header("X-Test-User", "alice")
                .header("X-POSTHOG-DISTINCT-ID", "frontend-id")
                .exchange()
                .expectStatus()
                .isOk();
            client(context).get().uri("/work").header("X-POSTHOG-DISTINCT-ID", "frontend-id").exchange();
            List<JsonNode> events = WebFixtures.events(context, this.server);
            assertThat(events.get(0).get("distinct_id").asText()).isEqualTo("alice");
            assertThat(events.get(1).get("distinct_id").asText()).isEqualTo("frontend-id");
        });
    }

    @Test
    void anExceptionEscapingAHandlerIsCapturedAndTheResponseIsUnchanged() {
        String[] withAutocapture = new String[1];
        this.contextRunner.run((context) -> {
            withAutocapture[0] = outcome(client(context));
            List<JsonNode> events = WebFixtures.events(context, this.server, "$exception");
            assertThat(events).hasSize(1);
            JsonNode event = events.get(0);
            assertThat(event.get("distinct_id").asText()).isEqualTo("user-7");
            JsonNode props = event.get("properties");
            assertThat(props.get("$exception_type").asText()).isEqualTo("IllegalStateException");
            assertThat(props.get("$exception_source").asText()).isEqualTo("spring.webflux_exception_handler");
            JsonNode mechanism = props.get("$exception_list").get(0).get("mechanism");
            assertThat(mechanism.get("type").asText()).isEqualTo("middleware");
            assertThat(mechanism.get("handled").asBoolean()).isFalse();
        });
        this.contextRunner.withPropertyValues("posthog.exceptions.enabled=false", "posthog.web.enabled=false")
            .run((context) -> assertThat(outcome(client(context))).isEqualTo(withAutocapture[0]));
        assertThat(withAutocapture[0]).startsWith("500");
    }

    private static String outcome(WebTestClient client) {
        EntityExchangeResult<byte[]> r = client.get()
            .uri("/boom")
            .header("X-POSTHOG-DISTINCT-ID", "user-7")
            .exchange()
            .expectBody()
            .returnResult();
        return r.getStatus().value() + " " + r.getResponseHeaders().getContentType() + " "
                + ((r.getResponseBody() != null) ? new String(r.getResponseBody()) : "");
    }

    @Test
    void clientErrorsAreLeftOut() {
        this.contextRunner.run((context) -> {
            client(context).get().uri("/not-found").exchange().expectStatus().isNotFound();
            client(context).get().uri("/no-such-path").exchange().expectStatus().isNotFound();
            assertThat(WebFixtures.events(context, this.server, "$exception")).isEmpty();
        });
    }

}
