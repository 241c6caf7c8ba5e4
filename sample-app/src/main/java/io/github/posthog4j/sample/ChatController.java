package io.github.posthog4j.sample;

import io.github.posthog4j.autoconfigure.ai.PosthogAiDistinctIdResolver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * A chat endpoint on a stand-in chat model: {@code POST /api/chat} with
 * {@code {"message": "..."}} and the caller's id in {@code X-POSTHOG-DISTINCT-ID}. The
 * model is observed like Spring AI's provider models, so the starter's Spring AI bridge
 * records each call as an {@code $ai_generation} event (model, provider, tokens, latency,
 * input and output) that shows up on the home page.
 */
@RestController
public class ChatController {

    private final ChatModel chatModel;

    public ChatController(ChatModel chatModel) {
        this.chatModel = chatModel;
    }

    /** {@code {"message": "Hello"}}. */
    public record ChatRequest(String message) {
    }

    @PostMapping("/api/chat")
    public Map<String, Object> chat(@RequestBody ChatRequest request) {
        ChatResponse response = chatModel.call(new Prompt(List
            .of(new SystemMessage("You are the PostHog sample's echo bot."), new UserMessage(request.message()))));
        return Map.of("answer", response.getResult().getOutput().getText(), "model", response.getMetadata().getModel());
    }

    /** The stand-in model and the distinct id of its calls. */
    @Configuration(proxyBeanMethods = false)
    static class ChatConfiguration {

        @Bean
        ChatModel standInChatModel(ObjectProvider<ObservationRegistry> registry) {
            return new StandInChatModel(registry.getIfAvailable(() -> ObservationRegistry.NOOP));
        }

        /** The distinct id of the request that makes the model call, from its header. */
        @Bean
        PosthogAiDistinctIdResolver requestDistinctId() {
            return () -> (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)
                    ? header(attributes.getRequest()) : null;
        }

        private static String header(HttpServletRequest request) {
            return request.getHeader("X-POSTHOG-DISTINCT-ID");
        }

    }

    /**
     * Answers by echoing the last user message in upper case, counting words as tokens;
     * observes each call as Spring AI's models do.
     */
    static final class StandInChatModel implements ChatModel {

        private final ObservationRegistry registry;

        StandInChatModel(ObservationRegistry registry) {
            this.registry = registry;
        }

        @Override
        public ChatResponse call(Prompt prompt) {
            ChatModelObservationContext context = ChatModelObservationContext.builder()
                .prompt(prompt)
                .provider("sample-stand-in")
                .build();
            return Observation.createNotStarted("gen_ai.client.operation", () -> context, registry).observe(() -> {
                String question = prompt.getUserMessage().getText();
                String answer = "You said: " + question.toUpperCase(Locale.ROOT);
                ChatResponse response = new ChatResponse(List.of(new Generation(new AssistantMessage(answer))),
                        ChatResponseMetadata.builder()
                            .model("echo-1")
                            .usage(new DefaultUsage(words(prompt.getContents()), words(answer)))
                            .build());
                context.setResponse(response);
                return response;
            });
        }

        private static int words(String text) {
            return text.isBlank() ? 0 : text.trim().split("\\s+").length;
        }

    }

}
