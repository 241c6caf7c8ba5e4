package io.github.posthog4j.autoconfigure.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.autoconfigure.PosthogAutoConfiguration;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;

/**
 * The Spring AI bridge against stand-in models and a loopback PostHog: chat and embedding
 * calls become {@code $ai_generation} and {@code $ai_embedding} with PostHog's LLM
 * analytics properties, privacy mode, content bounds, full capture on the AI route,
 * errors, the distinct id resolver, and the conditions.
 */
class PosthogAiAutoConfigurationTests {

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PosthogAutoConfiguration.class, PosthogAiAutoConfiguration.class))
        .withPropertyValues("posthog.api-key=phc_ai_bridge", "posthog.host=" + this.posthog.url());

    @AfterEach
    void tearDown() {
        this.posthog.close();
    }

    private static StandInModels.Chat chat(ApplicationContext context, Function<Prompt, String> answer) {
        return new StandInModels.Chat(context.getBean(ObservationRegistry.class), answer);
    }

    private List<JsonNode> events(String path) {
        List<JsonNode> out = new ArrayList<>();
        for (PosthogStandIn.Request r : this.posthog.requests()) {
            if (r.path().equals(path)) {
                out.addAll(r.events());
            }
        }
        return out;
    }

    @Test
    void whenAChatModelIsCalledShouldCaptureAnAiGeneration() {
        this.contextRunner.withBean(PosthogAiDistinctIdResolver.class, () -> () -> "user-42").run((context) -> {
            Prompt prompt = new Prompt(List.of(new SystemMessage("Be brief."), new UserMessage("Hello?")));
            chat(context, (p) -> "Hi!").call(prompt);
            context.getBean(PosthogClient.class).flush();

            List<JsonNode> events = events("/batch/");
            assertThat(events).hasSize(1);
            JsonNode event = events.get(0);
            assertThat(event.get("event").asText()).isEqualTo("$ai_generation");
            assertThat(event.get("distinct_id").asText()).isEqualTo("user-42");
            JsonNode props = event.get("properties");
            assertThat(props.get("$ai_model").asText()).isEqualTo("stand-in-1");
            assertThat(props.get("$ai_provider").asText()).isEqualTo("stand-in");
            assertThat(props.get("$ai_input_tokens").asInt()).isEqualTo(12);
            assertThat(props.get("$ai_output_tokens").asInt()).isEqualTo(7);
            assertThat(props.get("$ai_latency").asDouble()).isGreaterThanOrEqualTo(0).isLessThan(10);
            assertThat(props.get("$ai_http_status").asInt()).isEqualTo(200);
            assertThat(props.get("$ai_is_error").asBoolean()).isFalse();
            assertThat(props.get("$ai_trace_id").asText()).isNotBlank();
            assertThat(props.get("$ai_input").get(0).get("role").asText()).isEqualTo("system");
            assertThat(props.get("$ai_input").get(1).get("content").asText()).isEqualTo("Hello?");
            assertThat(props.get("$ai_output_choices").get(0).get("content").asText()).isEqualTo("Hi!");
            assertThat(props.get("$ai_output_choices").get(0).get("role").asText()).isEqualTo("assistant");
            assertThat(events("/i/v0/ai/batch/")).isEmpty();
        });
    }

    @Test
    void whenPrivacyModeShouldLeaveContentOut() {
        this.contextRunner.withPropertyValues("posthog.ai.privacy-mode=true", "posthog.ai.full-capture=true")
            .run((context) -> {
                chat(context, (p) -> "secret answer").call(new Prompt("secret question"));
                context.getBean(PosthogClient.class).flush();
                JsonNode props = events("/i/v0/ai/batch/").get(0).get("properties");
                assertThat(props.has("$ai_input")).isFalse();
                assertThat(props.has("$ai_output_choices")).isFalse();
                assertThat(props.get("$ai_output_tokens").asInt()).isEqualTo(7);
                assertThat(props.toString()).doesNotContain("secret");
            });
    }

    @Test
    void whenFullCaptureIsOffShouldBoundTextsAndWithFullCaptureSendThemWhole() {
        String longText = "z".repeat(40_000);
        this.contextRunner.withPropertyValues("posthog.ai.max-content-length=1000").run((context) -> {
            chat(context, (p) -> longText).call(new Prompt(longText));
            context.getBean(PosthogClient.class).flush();
            JsonNode props = events("/batch/").get(0).get("properties");
            assertThat(props.get("$ai_input").get(0).get("content").asText()).hasSize(1000 + 26)
                .endsWith("...[truncated 39000 chars]");
            assertThat(props.get("$ai_output_choices").get(0).get("content").asText())
                .endsWith("...[truncated 39000 chars]");
        });
        this.contextRunner.withPropertyValues("posthog.ai.max-content-length=1000", "posthog.ai.full-capture=true")
            .run((context) -> {
                chat(context, (p) -> longText).call(new Prompt(longText));
                context.getBean(PosthogClient.class).flush();
                JsonNode props = events("/i/v0/ai/batch/").get(0).get("properties");
                assertThat(props.get("$ai_input").get(0).get("content").asText()).isEqualTo(longText);
            });
    }

    @Test
    void whenTheProviderFailsShouldCaptureAnErrorAndRethrow() {
        this.contextRunner.run((context) -> {
            StandInModels.Chat failing = chat(context, (p) -> {
                throw HttpClientErrorException.create(HttpStatus.TOO_MANY_REQUESTS, "rate limited", null, null, null);
            });
            assertThatExceptionOfType(HttpClientErrorException.class).isThrownBy(() -> failing.call(new Prompt("hi")));
            context.getBean(PosthogClient.class).flush();
            JsonNode props = events("/batch/").get(0).get("properties");
            assertThat(props.get("$ai_is_error").asBoolean()).isTrue();
            assertThat(props.get("$ai_http_status").asInt()).isEqualTo(429);
            assertThat(props.get("$ai_error").asText()).contains("429");
            assertThat(props.has("$ai_output_choices")).isFalse();
        });
    }

    @Test
    void whenAnEmbeddingModelIsCalledShouldCaptureAnAiEmbedding() {
        this.contextRunner.run((context) -> {
            EmbeddingModel model = new StandInModels.Embeddings(context.getBean(ObservationRegistry.class));
            model.embedForResponse(List.of("first text", "second text"));
            context.getBean(PosthogClient.class).flush();
            JsonNode event = events("/batch/").get(0);
            assertThat(event.get("event").asText()).isEqualTo("$ai_embedding");
            JsonNode props = event.get("properties");
            assertThat(props.get("$ai_model").asText()).isEqualTo("stand-in-embed");
            assertThat(props.get("$ai_input_tokens").asInt()).isEqualTo(5);
            assertThat(props.get("$ai_input")).hasSize(2);
            // no distinct id known: a personless event
            assertThat(props.get("$process_person_profile").asBoolean()).isFalse();
        });
    }

    @Test
    void whenDisabledOrWithoutSpringAiShouldNotRecord() {
        this.contextRunner.withPropertyValues("posthog.ai.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(PosthogAiObservationHandler.class));
        this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.ai"))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(PosthogAiObservationHandler.class));
        this.contextRunner.withPropertyValues("posthog.enabled=false")
            .run((context) -> assertThat(context).hasSingleBean(PosthogAiObservationHandler.class));
    }

    @Test
    void whenTheApplicationHasARegistryShouldNotAddOne() {
        ObservationRegistry own = ObservationRegistry.create();
        this.contextRunner.withBean(ObservationRegistry.class, () -> own)
            .run((context) -> assertThat(context.getBean(ObservationRegistry.class)).isSameAs(own));
    }

}
