package io.github.posthog4j.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.testsupport.PosthogStandIn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * Exception autocapture in Spring MVC (MockMvc): what is captured, how (handled, source,
 * status), in which context, what is left out, and that the failing request's response is
 * the same with and without it.
 */
class MvcExceptionAutocaptureTests {

    private final PosthogStandIn server = PosthogStandIn.start();

    private final WebApplicationContextRunner contextRunner = WebFixtures.servlet(this.server)
        .withPropertyValues("posthog.exceptions.ignored="
                + "io.github.posthog4j.autoconfigure.web.MvcTestApplication$IgnoredFailure");

    @AfterEach
    void tearDown() {
        this.server.close();
    }

    private static JsonNode outermost(JsonNode event) {
        return event.get("properties").get("$exception_list").get(0);
    }

    @Test
    void anExceptionEscapingAHandlerIsCapturedUnhandledInTheRequestsContext() {
        this.contextRunner.run((context) -> {
            MockMvc mvc = WebFixtures.mockMvc(context);
            assertThatThrownBy(() -> mvc.perform(get("/boom").header("X-POSTHOG-DISTINCT-ID", "user-123")
                .header("X-POSTHOG-SESSION-ID", "session-123"))).hasRootCauseMessage("boom");
            List<JsonNode> events = WebFixtures.events(context, this.server, "$exception");
            assertThat(events).hasSize(1);
            JsonNode event = events.get(0);
            assertThat(event.get("distinct_id").asText()).isEqualTo("user-123");
            JsonNode props = event.get("properties");
            assertThat(props.get("$session_id").asText()).isEqualTo("session-123");
            assertThat(props.get("$exception_type").asText()).isEqualTo("IllegalStateException");
            assertThat(props.get("$exception_source").asText()).isEqualTo("spring.mvc_exception_resolver");
            assertThat(props.get("$exception_level").asText()).isEqualTo("error");
            assertThat(outermost(event).get("mechanism").get("type").asText()).isEqualTo("middleware");
            assertThat(outermost(event).get("mechanism").get("handled").asBoolean()).isFalse();
            JsonNode frames = outermost(event).get("stacktrace").get("frames");
            JsonNode crashSite = frames.get(frames.size() - 1);
            assertThat(crashSite.get("function").asText()).isEqualTo("boom");
        });
    }

    @Test
    void anExceptionTheApplicationTurnsIntoA5xxIsCapturedHandledWithItsStatus() {
        this.contextRunner.run((context) -> {
            WebFixtures.mockMvc(context).perform(get("/checkout").header("X-POSTHOG-DISTINCT-ID", "user-9"));
            JsonNode event = WebFixtures.events(context, this.server, "$exception").get(0);
            assertThat(event.get("distinct_id").asText()).isEqualTo("user-9");
            assertThat(event.get("properties").get("$exception_type").asText())
                .isEqualTo("MvcTestApplication$CheckoutFailed");
            assertThat(event.get("properties").get("$response_status_code").asInt()).isEqualTo(500);
            assertThat(outermost(event).get("mechanism").get("handled").asBoolean()).isTrue();
        });
    }

    @Test
    void aServerErrorStatusExceptionIsCapturedWithItsStatus() {
        this.contextRunner.run((context) -> {
            WebFixtures.mockMvc(context).perform(get("/unavailable"));
            JsonNode event = WebFixtures.events(context, this.server, "$exception").get(0);
            assertThat(event.get("properties").get("$exception_type").asText()).isEqualTo("ResponseStatusException");
            assertThat(event.get("properties").get("$response_status_code").asInt()).isEqualTo(503);
        });
    }

    @Test
    void clientErrorsAreLeftOut() {
        this.contextRunner.run((context) -> {
            MockMvc mvc = WebFixtures.mockMvc(context);
            assertThat(mvc.perform(get("/not-found")).andReturn().getResponse().getStatus()).isEqualTo(404);
            assertThat(mvc.perform(get("/order")).andReturn().getResponse().getStatus()).as("app-made 404")
                .isEqualTo(404);
            assertThat(mvc.perform(get("/number").param("value", "NaN")).andReturn().getResponse().getStatus())
                .isEqualTo(400);
            assertThat(mvc.perform(get("/no-such-path")).andReturn().getResponse().getStatus()).isEqualTo(404);
            assertThat(mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete("/work"))
                .andReturn()
                .getResponse()
                .getStatus()).isEqualTo(405);
            assertThat(WebFixtures.events(context, this.server, "$exception")).isEmpty();
        });
    }

    @Test
    void aClientThatWentAwayAndIgnoredTypesAreLeftOut() {
        this.contextRunner.run((context) -> {
            MockMvc mvc = WebFixtures.mockMvc(context);
            // Spring MVC resolves these quietly (an empty response): they reach our
            // resolver first
            mvc.perform(get("/gone"));
            mvc.perform(get("/pipe"));
            assertThatThrownBy(() -> mvc.perform(get("/ignored"))).hasRootCauseMessage("expected");
            assertThat(WebFixtures.events(context, this.server, "$exception")).isEmpty();
        });
    }

    @Test
    void anExceptionOfAnAsyncHandlerIsCapturedInTheRequestsContext() {
        this.contextRunner.run((context) -> {
            MockMvc mvc = WebFixtures.mockMvc(context);
            MvcResult started = mvc.perform(get("/async-boom").header("X-POSTHOG-DISTINCT-ID", "async-user"))
                .andExpect(request().asyncStarted())
                .andReturn();
            assertThatThrownBy(() -> mvc.perform(asyncDispatch(started))).hasRootCauseMessage("async boom");
            List<JsonNode> events = WebFixtures.events(context, this.server, "$exception");
            assertThat(events).hasSize(1);
            assertThat(events.get(0).get("distinct_id").asText()).isEqualTo("async-user");
            assertThat(outermost(events.get(0)).get("mechanism").get("handled").asBoolean()).isFalse();
        });
    }

    @Test
    void withoutTheFilterTheResolverCapturesAtOnce() {
        this.contextRunner.withPropertyValues("posthog.web.enabled=false").run((context) -> {
            MockMvc mvc = WebFixtures.mockMvc(context);
            assertThatThrownBy(() -> mvc.perform(get("/boom"))).hasRootCauseMessage("boom");
            JsonNode event = WebFixtures.events(context, this.server, "$exception").get(0);
            assertThat(event.get("properties").get("$exception_source").asText())
                .isEqualTo("spring.mvc_exception_resolver");
            assertThat(outermost(event).get("mechanism").get("handled").asBoolean()).isFalse();
        });
    }

    @Test
    void autocaptureCanBeTurnedOff() {
        this.contextRunner.withPropertyValues("posthog.exceptions.enabled=false").run((context) -> {
            assertThat(context).doesNotHaveBean(PosthogHandlerExceptionResolver.class)
                .hasSingleBean(PosthogRequestContextFilter.class);
            MockMvc mvc = WebFixtures.mockMvc(context);
            assertThatThrownBy(() -> mvc.perform(get("/boom"))).hasRootCauseMessage("boom");
            mvc.perform(get("/checkout"));
            assertThat(WebFixtures.events(context, this.server, "$exception")).isEmpty();
        });
    }

    /**
     * The same failing requests with autocapture on and off: same status, headers and
     * body, or the same exception out of the servlet.
     */
    @Test
    void theResponseToAFailingRequestIsUnchanged() {
        List<String> paths = List.of("/boom", "/checkout", "/unavailable", "/not-found", "/order", "/gone",
                "/number?value=NaN");
        Map<String, String> withAutocapture = outcomes(this.contextRunner, paths);
        Map<String, String> without = outcomes(
                this.contextRunner.withPropertyValues("posthog.exceptions.enabled=false", "posthog.web.enabled=false"),
                paths);
        assertThat(withAutocapture).isEqualTo(without);
        assertThat(withAutocapture.get("/checkout")).contains("500")
            .contains("checkout_failed")
            .contains("X-Error=[checkout]");
        assertThat(withAutocapture.get("/boom")).startsWith("threw").contains("IllegalStateException: boom");
    }

    private static Map<String, String> outcomes(WebApplicationContextRunner runner, List<String> paths) {
        Map<String, String> outcomes = new LinkedHashMap<>();
        runner.run((context) -> {
            MockMvc mvc = WebFixtures.mockMvc(context);
            for (String path : paths) {
                outcomes.put(path, outcome(() -> mvc.perform(get(path)).andReturn().getResponse()));
            }
        });
        return outcomes;
    }

    private static String outcome(ThrowingSupplier<MockHttpServletResponse> request) {
        try {
            MockHttpServletResponse r = request.get();
            List<String> headers = new ArrayList<>();
            for (String name : r.getHeaderNames()) {
                headers.add(name + "=" + r.getHeaders(name));
            }
            return r.getStatus() + " " + r.getErrorMessage() + " " + headers + " " + r.getContentAsString();
        }
        catch (Exception ex) {
            Function<Throwable, Throwable> root = (t) -> {
                Throwable c = t;
                while (c.getCause() != null) {
                    c = c.getCause();
                }
                return c;
            };
            return "threw " + ex.getClass().getName() + " " + root.apply(ex);
        }
    }

    @FunctionalInterface
    interface ThrowingSupplier<T> {

        T get() throws Exception;

    }

}
