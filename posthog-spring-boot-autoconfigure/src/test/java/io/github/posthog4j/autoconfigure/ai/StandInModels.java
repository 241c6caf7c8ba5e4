package io.github.posthog4j.autoconfigure.ai;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationContext;

/**
 * Stand-in Spring AI models (no provider, no network): they observe each call the way
 * Spring AI's provider models do, through the application's {@link ObservationRegistry}.
 */
final class StandInModels {

    private StandInModels() {
    }

    /** A chat model that answers with a function of the prompt, or throws. */
    static final class Chat implements ChatModel {

        private final ObservationRegistry registry;

        private final Function<Prompt, String> answer;

        Chat(ObservationRegistry registry, Function<Prompt, String> answer) {
            this.registry = registry;
            this.answer = answer;
        }

        @Override
        public ChatResponse call(Prompt prompt) {
            ChatModelObservationContext context = ChatModelObservationContext.builder()
                .prompt(prompt)
                .provider("stand-in")
                .build();
            return Observation.createNotStarted("gen_ai.client.operation", () -> context, this.registry).observe(() -> {
                String text = this.answer.apply(prompt);
                ChatResponse response = new ChatResponse(List.of(new Generation(new AssistantMessage(text))),
                        ChatResponseMetadata.builder().model("stand-in-1").usage(new DefaultUsage(12, 7)).build());
                context.setResponse(response);
                return response;
            });
        }

    }

    /** An embedding model with 3-dimensional zero vectors. */
    static final class Embeddings implements EmbeddingModel {

        private final ObservationRegistry registry;

        Embeddings(ObservationRegistry registry) {
            this.registry = registry;
        }

        @Override
        public EmbeddingResponse call(EmbeddingRequest request) {
            EmbeddingModelObservationContext context = EmbeddingModelObservationContext.builder()
                .embeddingRequest(request)
                .provider("stand-in")
                .build();
            return Observation.createNotStarted("gen_ai.client.operation", () -> context, this.registry).observe(() -> {
                List<Embedding> out = new ArrayList<>();
                for (int i = 0; i < request.getInstructions().size(); i++) {
                    out.add(new Embedding(new float[3], i));
                }
                EmbeddingResponse response = new EmbeddingResponse(out,
                        new EmbeddingResponseMetadata("stand-in-embed", new DefaultUsage(5, 0)));
                context.setResponse(response);
                return response;
            });
        }

        @Override
        public float[] embed(Document document) {
            return new float[3];
        }

    }

}
