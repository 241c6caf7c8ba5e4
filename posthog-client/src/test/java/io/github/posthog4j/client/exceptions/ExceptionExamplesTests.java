package io.github.posthog4j.client.exceptions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.posthog4j.client.ExceptionOptions;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.errors.CheckoutError;
import io.github.posthog4j.client.errors.DatabaseError;
import io.github.posthog4j.client.errors.RequestError;
import io.github.posthog4j.client.internal.exceptions.Boundary;
import io.github.posthog4j.client.internal.exceptions.ExceptionNode;
import io.github.posthog4j.client.internal.exceptions.ExceptionPayload;
import io.github.posthog4j.testsupport.PosthogExtension;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every example of sdk-specs
 * {@code acceptance/private/exception-event-metadata.examples.json} (commit 35f0f8c), one
 * test each, named after its key: the event this client produces for the example's input
 * must carry the example's properties exactly (each {@code $exception_list} entry
 * compared whole, {@code module} aside, which the JVM adds and the spec allows).
 * Exceptions are created without a stack trace, as the examples have none; captures go
 * through the public API to the stand-in server, except the two examples no JVM exception
 * can produce (an aggregate, a native crash), which go through the builder with the
 * example's typed metadata.
 */
class ExceptionExamplesTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** As the wire would carry it (numbers as JSON numbers, whatever their Java type). */
    private static JsonNode json(Object value) {
        try {
            return JSON.readTree(JSON.writeValueAsBytes(value));
        }
        catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @RegisterExtension
    final PosthogExtension posthog = PosthogExtension.create();

    private JsonNode captured(ExceptionOptions options) {
        ManagedPosthogClient client = this.posthog.client();
        client.captureException(options);
        client.flush();
        List<JsonNode> events = this.posthog.server().events();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("event").asText()).isEqualTo("$exception");
        return events.get(0).get("properties");
    }

    private static <T extends Throwable> T stackless(T t) {
        t.setStackTrace(new StackTraceElement[0]);
        return t;
    }

    /**
     * The example's properties must all be there, equal; {@code $exception_source},
     * {@code $debug_images} and {@code $exception_fingerprint} present exactly when the
     * example has them.
     */
    private static void assertMatches(JsonNode actual, String expectedJson) throws Exception {
        JsonNode expected = JSON.readTree(expectedJson);
        for (String optional : List.of("$exception_source", "$debug_images", "$exception_fingerprint")) {
            assertThat(actual.has(optional)).as(optional).isEqualTo(expected.has(optional));
        }
        Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode value = actual.get(f.getKey());
            if (f.getKey().equals("$exception_list")) {
                value = withoutModules(value);
            }
            assertThat(value).as(f.getKey()).isEqualTo(f.getValue());
        }
        assertThat(actual.get("$exception_type").asText())
            .isEqualTo(expected.get("$exception_list").get(0).get("type").asText());
        assertThat(actual.get("$exception_message").asText())
            .isEqualTo(expected.get("$exception_list").get(0).get("value").asText());
    }

    private static JsonNode withoutModules(JsonNode list) {
        JsonNode copy = list.deepCopy();
        copy.forEach((entry) -> ((ObjectNode) entry).remove("module"));
        return copy;
    }

    @Test
    void manual() throws Exception {
        JsonNode props = captured(ExceptionOptions.builder(stackless(new CheckoutError("Checkout failed"))).build());
        assertMatches(props, """
                {"$exception_level": "error",
                 "$exception_list": [{"type": "CheckoutError", "value": "Checkout failed",
                   "mechanism": {"type": "generic", "handled": true, "synthetic": false, "exception_id": 0}}]}
                """);
    }

    @Test
    void djangoMiddleware() throws Exception {
        JsonNode props = captured(ExceptionOptions.builder(stackless(new RequestError("Request failed")))
            .mechanismType("middleware")
            .handled(false)
            .exceptionSource("django.middleware")
            .build());
        assertMatches(props, """
                {"$exception_level": "error", "$exception_source": "django.middleware",
                 "$exception_list": [{"type": "RequestError", "value": "Request failed",
                   "mechanism": {"type": "middleware", "handled": false, "synthetic": false, "exception_id": 0}}]}
                """);
    }

    @Test
    void nestedCause() throws Exception {
        DatabaseError cause = new DatabaseError("Connection failed", null, false);
        JsonNode props = captured(ExceptionOptions.builder(new CheckoutError("Checkout failed", cause, false)).build());
        assertMatches(props, """
                {"$exception_level": "error",
                 "$exception_list": [
                   {"type": "CheckoutError", "value": "Checkout failed",
                    "mechanism": {"type": "generic", "handled": true, "synthetic": false, "exception_id": 0}},
                   {"type": "DatabaseError", "value": "Connection failed",
                    "mechanism": {"type": "chained", "source": "cause", "synthetic": false, "exception_id": 1,
                                  "parent_id": 0}}]}
                """);
    }

    /** The JVM has no aggregate exception: the builder's tree with member edges. */
    @Test
    void aggregate() throws Exception {
        ExceptionNode tree = runtime("AggregateError", "Two operations failed",
                new ExceptionNode.Child("member", runtime("NetworkError", "Network failed")),
                new ExceptionNode.Child("member", runtime("ValidationError", "Validation failed",
                        new ExceptionNode.Child("cause", runtime("ParseError", "Invalid value")))));
        ExceptionNode withMetadata = tree.withMechanism(Map.of("type", "task", "handled", false));
        JsonNode props = json(
                ExceptionPayload.build(withMetadata, Boundary.MANUAL, null, null, null, List.of(), Map.of()));
        assertMatches(props, """
                {"$exception_level": "error",
                 "$exception_list": [
                   {"type": "AggregateError", "value": "Two operations failed",
                    "mechanism": {"type": "task", "handled": false, "synthetic": false, "exception_id": 0}},
                   {"type": "NetworkError", "value": "Network failed",
                    "mechanism": {"type": "chained", "source": "member", "synthetic": false, "exception_id": 1,
                                  "parent_id": 0}},
                   {"type": "ValidationError", "value": "Validation failed",
                    "mechanism": {"type": "chained", "source": "member", "synthetic": false, "exception_id": 2,
                                  "parent_id": 0}},
                   {"type": "ParseError", "value": "Invalid value",
                    "mechanism": {"type": "chained", "source": "cause", "synthetic": false, "exception_id": 3,
                                  "parent_id": 2}}]}
                """);
    }

    /**
     * A JVM captures no native frames: the builder, fed the crash reporter's frame, debug
     * image and typed boundary metadata, must produce the example unchanged.
     */
    @Test
    void deferredNativeCrash() throws Exception {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("platform", "native");
        frame.put("instruction_addr", "0x104f01234");
        frame.put("image_addr", "0x104f00000");
        ExceptionNode crash = new ExceptionNode("SIGABRT", "Abort trap", null, List.of(frame), false, Map.of(),
                List.of());
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("type", "macho");
        image.put("debug_id", "A1B2C3D4-E5F6-7890-ABCD-EF1234567890");
        image.put("image_addr", "0x104f00000");
        image.put("image_size", 524288);
        image.put("code_file", "MyApp");
        image.put("arch", "arm64");
        JsonNode props = json(
                ExceptionPayload.build(crash, new Boundary("fatal", "signal", false, "ios.crash_reporter"), null, null,
                        null, List.of(image), Map.of()));
        assertMatches(props, """
                {"$exception_level": "fatal", "$exception_source": "ios.crash_reporter",
                 "$exception_list": [{"type": "SIGABRT", "value": "Abort trap",
                   "mechanism": {"type": "signal", "handled": false, "synthetic": false, "exception_id": 0},
                   "stacktrace": {"type": "raw", "frames": [{"platform": "native",
                     "instruction_addr": "0x104f01234", "image_addr": "0x104f00000"}]}}],
                 "$debug_images": [{"type": "macho", "debug_id": "A1B2C3D4-E5F6-7890-ABCD-EF1234567890",
                   "image_addr": "0x104f00000", "image_size": 524288, "code_file": "MyApp", "arch": "arm64"}]}
                """);
    }

    /** The example's {@code typed_input}, as this client's typed API takes it. */
    @Test
    void malformedTypedInputNormalizedAtManualBoundary() throws Exception {
        JsonNode typedInput = JSON.readTree("""
                {"mechanism": {"type": "", "handled": "yes", "synthetic": false}, "$exception_level": "verbose"}
                """);
        Map<String, Object> mechanism = JSON.convertValue(typedInput.get("mechanism"), Map.class);
        JsonNode props = captured(ExceptionOptions.builder(stackless(new CheckoutError("Checkout failed")))
            .mechanism(mechanism)
            .level(typedInput.get("$exception_level").asText())
            .build());
        assertMatches(props, """
                {"$exception_level": "error",
                 "$exception_list": [{"type": "CheckoutError", "value": "Checkout failed",
                   "mechanism": {"type": "generic", "handled": true, "synthetic": false, "exception_id": 0}}]}
                """);
    }

    private static ExceptionNode runtime(String type, String value, ExceptionNode.Child... children) {
        return new ExceptionNode(type, value, null, List.of(), false, Map.of(), List.of(children));
    }

}
