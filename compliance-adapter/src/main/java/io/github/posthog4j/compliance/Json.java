package io.github.posthog4j.compliance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The adapter's JSON: request bodies in, response bodies out. Request bodies are JSON
 * objects read as maps, lists and scalars; responses are written with {@code null} values
 * kept ({@code "value": null} is an answer).
 */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    /**
     * Reads a request body that must be a JSON object.
     * @param body the raw body
     * @param required whether an empty body is an error (else it reads as an empty
     * object)
     * @return the object as a mutable map
     * @throws Router.BadRequest when the body is missing (and required), is not JSON, or
     * is not an object
     */
    static Map<String, @Nullable Object> readObject(byte[] body, boolean required) {
        if (isBlank(body)) {
            if (required) {
                throw new Router.BadRequest("the request body must be a JSON object, got an empty body");
            }
            return new LinkedHashMap<>();
        }
        Object value;
        try {
            value = MAPPER.readValue(body, Object.class);
        }
        catch (IOException ex) {
            String detail = (ex instanceof JsonProcessingException json) ? json.getOriginalMessage() : ex.toString();
            throw new Router.BadRequest("the request body is not valid JSON: " + detail);
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new Router.BadRequest("the request body must be a JSON object, got "
                    + ((value == null) ? "null" : (value instanceof Iterable<?>) ? "an array" : "a scalar"));
        }
        Map<String, @Nullable Object> object = new LinkedHashMap<>();
        map.forEach((k, v) -> object.put(String.valueOf(k), v));
        return object;
    }

    /**
     * @param value maps, lists and scalars
     * @return its JSON in UTF-8
     */
    static byte[] write(@Nullable Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        }
        catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write the response as JSON: " + ex.getOriginalMessage(), ex);
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

}
