package io.github.posthog4j.autoconfigure.ai;

import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.PosthogClient;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationView;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationContext;
import org.springframework.ai.model.observation.ModelObservationContext;

/**
 * Records every Spring AI chat and embedding call as a PostHog LLM analytics event: a
 * Micrometer {@link ObservationHandler} of the observations Spring AI's models make
 * ({@code ChatModelObservationContext}, {@code EmbeddingModelObservationContext}), so it
 * sees direct {@code ChatModel} calls and {@code ChatClient} calls alike, for every
 * provider, streaming included.
 *
 * <p>
 * Each call becomes one {@code $ai_generation} or {@code $ai_embedding} with
 * {@code $ai_trace_id} (shared by the calls under one outer observation, e.g. a
 * {@code ChatClient} call and its tool round trips), {@code $ai_span_id},
 * {@code $ai_model}, {@code $ai_provider}, {@code $ai_input_tokens},
 * {@code $ai_output_tokens}, {@code $ai_latency} (seconds), {@code $ai_http_status},
 * {@code $ai_is_error} (and {@code $ai_error}), {@code $ai_input} and
 * {@code $ai_output_choices} (see {@link AiEventMapper} for privacy mode and the content
 * rules). With full capture the event goes to {@code captureAi} (the AI route), else to
 * {@code capture}, as PostHog's own wrappers do. Never throws into the model call.
 */
final class PosthogAiObservationHandler implements ObservationHandler<ModelObservationContext<?, ?>> {

    private static final Log log = LogFactory.getLog(PosthogAiObservationHandler.class);

    private static final String STARTED = PosthogAiObservationHandler.class.getName() + ".started";

    private static final String TRACE_ID = PosthogAiObservationHandler.class.getName() + ".traceId";

    private final PosthogClient client;

    private final AiEventMapper mapper;

    private final boolean fullCapture;

    private final List<PosthogAiDistinctIdResolver> resolvers;

    /**
     * @param client where the events go
     * @param mapper the content rules
     * @param fullCapture whether to send on the AI route
     * @param resolvers the distinct id resolvers, in order
     */
    PosthogAiObservationHandler(PosthogClient client, AiEventMapper mapper, boolean fullCapture,
            List<PosthogAiDistinctIdResolver> resolvers) {
        this.client = client;
        this.mapper = mapper;
        this.fullCapture = fullCapture;
        this.resolvers = resolvers;
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof ChatModelObservationContext || context instanceof EmbeddingModelObservationContext;
    }

    @Override
    public void onStart(ModelObservationContext<?, ?> context) {
        context.put(STARTED, System.nanoTime());
    }

    @Override
    public void onStop(ModelObservationContext<?, ?> context) {
        try {
            record(context);
        }
        catch (RuntimeException | LinkageError ex) {
            log.debug("PostHog could not record a Spring AI call", ex);
        }
    }

    private void record(ModelObservationContext<?, ?> context) {
        Long started = context.get(STARTED);
        double latency = (started != null) ? (System.nanoTime() - started) / 1e9 : 0;
        String provider = (context.getOperationMetadata() != null) ? context.getOperationMetadata().provider() : null;
        Throwable error = context.getError();
        String event;
        Map<String, Object> props;
        if (context instanceof ChatModelObservationContext chat) {
            event = "$ai_generation";
            props = this.mapper.generation(chat.getRequest(), chat.getResponse(), provider, error, latency);
        }
        else if (context instanceof EmbeddingModelObservationContext embedding) {
            event = "$ai_embedding";
            props = this.mapper.embedding(embedding.getRequest(), embedding.getResponse(), provider, error, latency);
        }
        else {
            return;
        }
        props.put("$ai_trace_id", traceId(context));
        props.put("$ai_span_id", UUID.randomUUID().toString());
        props.put("$ai_lib", "spring-ai");
        CaptureOptions options = CaptureOptions.builder(distinctId(), event).properties(props).build();
        if (this.fullCapture) {
            this.client.captureAi(options);
        }
        else {
            this.client.capture(options);
        }
    }

    /**
     * The trace id of the outermost observation around this call (kept in its context),
     * so that the model calls of one {@code ChatClient} call share it; a new one for a
     * lone call.
     */
    private static String traceId(Observation.Context context) {
        Observation.Context root = context;
        ObservationView parent = context.getParentObservation();
        while (parent != null && parent.getContextView() instanceof Observation.Context c) {
            root = c;
            parent = c.getParentObservation();
        }
        String id = root.get(TRACE_ID);
        if (id == null) {
            id = UUID.randomUUID().toString();
            root.put(TRACE_ID, id);
        }
        return id;
    }

    private @Nullable String distinctId() {
        for (PosthogAiDistinctIdResolver resolver : this.resolvers) {
            String id = resolver.distinctId();
            if (id != null && !id.isBlank()) {
                return id;
            }
        }
        // the request's PostHog context (tracing headers, principal): blocking model
        // calls run on the request's
        // thread, or on one the context propagated to
        return io.github.posthog4j.client.PosthogContext.currentDistinctId();
    }

}
