package io.github.posthog4j.autoconfigure.ai;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.ai.content.MediaContent;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.web.client.RestClientResponseException;

/**
 * Turns a Spring AI call into the properties of PostHog's LLM analytics events, with the
 * content rules of PostHog's AI wrappers:
 * <ul>
 * <li>privacy mode: no {@code $ai_input} and no {@code $ai_output_choices} at all (it
 * wins over full capture);</li>
 * <li>full capture off (the default): each text is cut to {@code maxContentLength}
 * characters (marked {@code ...[truncated N chars]}), media (images, audio, files) is
 * replaced by a placeholder naming its type, and when the input still holds more than
 * {@link #MAX_TOTAL_CHARS} characters the oldest messages (never the first system
 * message) are left out and counted in {@code $ai_input_messages_omitted}: an event stays
 * well under the analytics route's 900 KiB per event;</li>
 * <li>full capture on: texts whole, media as given (a URL, or base64 data), for the AI
 * route's 8 MiB per event.</li>
 * </ul>
 */
final class AiEventMapper {

    /** The most characters of all input texts together when full capture is off. */
    static final int MAX_TOTAL_CHARS = 200_000;

    private final boolean privacyMode;

    private final boolean fullCapture;

    private final int maxContentLength;

    AiEventMapper(boolean privacyMode, boolean fullCapture, int maxContentLength) {
        this.privacyMode = privacyMode;
        this.fullCapture = fullCapture;
        this.maxContentLength = Math.max(1, maxContentLength);
    }

    /**
     * The properties of an {@code $ai_generation}.
     * @param prompt the request
     * @param response the response, or null after an error
     * @param provider the provider Spring AI names ({@code openai}, ...)
     * @param error the failure, or null
     * @param latencySeconds how long the call took
     * @return the properties (without trace and span ids)
     */
    Map<String, Object> generation(@Nullable Prompt prompt, @Nullable ChatResponse response, @Nullable String provider,
            @Nullable Throwable error, double latencySeconds) {
        Map<String, Object> props = new LinkedHashMap<>();
        ChatOptions options = (prompt != null) ? prompt.getOptions() : null;
        ChatResponseMetadata metadata = (response != null) ? response.getMetadata() : null;
        String model = (metadata != null && notBlank(metadata.getModel())) ? metadata.getModel()
                : (options != null) ? options.getModel() : null;
        putIfPresent(props, "$ai_model", model);
        putIfPresent(props, "$ai_provider", provider);
        Usage usage = (metadata != null) ? metadata.getUsage() : null;
        if (usage != null) {
            putIfPresent(props, "$ai_input_tokens", usage.getPromptTokens());
            putIfPresent(props, "$ai_output_tokens", usage.getCompletionTokens());
        }
        props.put("$ai_latency", latencySeconds);
        status(props, error);
        if (options != null) {
            Map<String, Object> parameters = new LinkedHashMap<>();
            putIfPresent(parameters, "temperature", options.getTemperature());
            putIfPresent(parameters, "max_tokens", options.getMaxTokens());
            putIfPresent(parameters, "top_p", options.getTopP());
            putIfPresent(parameters, "top_k", options.getTopK());
            putIfPresent(parameters, "stop", options.getStopSequences());
            if (!parameters.isEmpty()) {
                props.put("$ai_model_parameters", parameters);
            }
        }
        if (!this.privacyMode) {
            if (prompt != null) {
                props.put("$ai_input", messages(prompt.getInstructions(), props));
            }
            if (response != null) {
                List<Map<String, Object>> choices = new ArrayList<>();
                for (Generation g : response.getResults()) {
                    if (g != null && g.getOutput() != null) {
                        choices.add(message(g.getOutput()));
                    }
                }
                props.put("$ai_output_choices", choices);
            }
        }
        return props;
    }

    /**
     * The properties of an {@code $ai_embedding}.
     * @param request the request
     * @param response the response, or null after an error
     * @param provider the provider
     * @param error the failure, or null
     * @param latencySeconds how long the call took
     * @return the properties (without trace and span ids)
     */
    Map<String, Object> embedding(@Nullable EmbeddingRequest request, @Nullable EmbeddingResponse response,
            @Nullable String provider, @Nullable Throwable error, double latencySeconds) {
        Map<String, Object> props = new LinkedHashMap<>();
        String model = (response != null && response.getMetadata() != null
                && notBlank(response.getMetadata().getModel())) ? response.getMetadata().getModel()
                        : (request != null && request.getOptions() != null) ? request.getOptions().getModel() : null;
        putIfPresent(props, "$ai_model", model);
        putIfPresent(props, "$ai_provider", provider);
        Usage usage = (response != null && response.getMetadata() != null) ? response.getMetadata().getUsage() : null;
        if (usage != null) {
            putIfPresent(props, "$ai_input_tokens", usage.getPromptTokens());
        }
        props.put("$ai_latency", latencySeconds);
        status(props, error);
        if (!this.privacyMode && request != null) {
            List<String> inputs = new ArrayList<>();
            for (String text : request.getInstructions()) {
                inputs.add(text(text));
            }
            props.put("$ai_input", inputs);
        }
        return props;
    }

    private void status(Map<String, Object> props, @Nullable Throwable error) {
        if (error == null) {
            props.put("$ai_http_status", 200);
            props.put("$ai_is_error", false);
            return;
        }
        Integer status = httpStatus(error);
        if (status != null) {
            props.put("$ai_http_status", status);
        }
        props.put("$ai_is_error", true);
        String message = error.getClass().getName() + ((error.getMessage() != null) ? ": " + error.getMessage() : "");
        props.put("$ai_error", this.privacyMode ? error.getClass().getName() : text(message));
    }

    /** The HTTP status of a provider error, when the error carries one. */
    static @Nullable Integer httpStatus(Throwable error) {
        for (Throwable t = error; t != null; t = (t.getCause() != t) ? t.getCause() : null) {
            if (t instanceof RestClientResponseException http) {
                return http.getStatusCode().value();
            }
        }
        return null;
    }

    private List<Map<String, Object>> messages(List<Message> instructions, Map<String, Object> props) {
        List<Map<String, Object>> all = new ArrayList<>(instructions.size());
        for (Message m : instructions) {
            all.add(message(m));
        }
        if (this.fullCapture) {
            return all;
        }
        long total = 0;
        for (Map<String, Object> m : all) {
            total += chars(m);
        }
        int omitted = 0;
        int firstDroppable = (!all.isEmpty() && "system".equals(all.get(0).get("role"))) ? 1 : 0;
        while (total > MAX_TOTAL_CHARS && all.size() > firstDroppable + 1) {
            total -= chars(all.remove(firstDroppable));
            omitted++;
        }
        if (omitted > 0) {
            props.put("$ai_input_messages_omitted", omitted);
        }
        return all;
    }

    private static long chars(Map<String, Object> message) {
        Object content = message.get("content");
        return (content instanceof String s) ? s.length() : String.valueOf(content).length();
    }

    private Map<String, Object> message(Message m) {
        Map<String, Object> out = new LinkedHashMap<>(2);
        out.put("role", (m.getMessageType() != null) ? m.getMessageType().getValue() : "user");
        List<Media> media = (m instanceof MediaContent mc && mc.getMedia() != null) ? mc.getMedia() : List.of();
        String text = (m.getText() != null) ? text(m.getText()) : "";
        if (media.isEmpty()) {
            out.put("content", text);
            return out;
        }
        List<Map<String, Object>> parts = new ArrayList<>(media.size() + 1);
        if (!text.isEmpty()) {
            parts.add(Map.of("type", "text", "text", text));
        }
        for (Media item : media) {
            parts.add(media(item));
        }
        out.put("content", parts);
        return out;
    }

    private Map<String, Object> media(Media item) {
        Map<String, Object> part = new LinkedHashMap<>(3);
        String mime = (item.getMimeType() != null) ? item.getMimeType().toString() : "application/octet-stream";
        String type = mime.startsWith("image/") ? "image" : mime.startsWith("audio/") ? "audio" : "file";
        part.put("type", type);
        part.put("mime_type", mime);
        if (!this.fullCapture) {
            part.put("data", "[" + type + " " + mime + " not captured]");
            return part;
        }
        Object data = item.getData();
        if (data instanceof byte[] bytes) {
            part.put("data", "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(bytes));
        }
        else if (data != null) {
            part.put("data", String.valueOf(data));
        }
        return part;
    }

    /** A text as the content rule allows it. */
    String text(@Nullable String text) {
        if (text == null) {
            return "";
        }
        if (this.fullCapture || text.length() <= this.maxContentLength) {
            return text;
        }
        int cut = this.maxContentLength;
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut) + "...[truncated " + (text.length() - cut) + " chars]";
    }

    private static boolean notBlank(@Nullable String s) {
        return s != null && !s.isBlank();
    }

    private static void putIfPresent(Map<String, Object> props, String key, @Nullable Object value) {
        if (value != null) {
            props.put(key, value);
        }
    }

}
