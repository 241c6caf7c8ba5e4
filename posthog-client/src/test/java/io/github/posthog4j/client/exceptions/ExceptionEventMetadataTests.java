package io.github.posthog4j.client.exceptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.posthog4j.client.ExceptionOptions;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.errors.CheckoutError;
import io.github.posthog4j.client.errors.DatabaseError;
import io.github.posthog4j.client.errors.RequestError;
import io.github.posthog4j.client.errors.RootError;
import io.github.posthog4j.client.errors.TypeError;
import io.github.posthog4j.client.internal.exceptions.Boundary;
import io.github.posthog4j.client.internal.exceptions.ExceptionNode;
import io.github.posthog4j.client.internal.exceptions.ExceptionPayload;
import io.github.posthog4j.client.internal.exceptions.InAppFrames;
import io.github.posthog4j.client.internal.exceptions.ThrowableReader;
import io.github.posthog4j.testsupport.PosthogExtension;
import io.github.posthog4j.testsupport.PosthogStandIn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostHog's {@code exception-event-metadata} capability (sdk-specs
 * {@code acceptance/private/exception-event-metadata.feature}, all {@code @both}, and the
 * scenarios of its {@code spec.md}): one test per scenario, named after it. Captures go
 * through the public API to the stand-in server; the scenarios about a context-free,
 * low-level builder test that builder ({@code ExceptionPayload.build} with no capture
 * boundary), which has no event pipeline of its own. Where a scenario names another
 * platform's integration (Django middleware, a logger, a native crash reporter) the test
 * plays that integration through the typed metadata channel; the Spring integrations have
 * their own tests in the starter.
 */
class ExceptionEventMetadataTests {

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
        assertThatCode(() -> client.captureException(options)).doesNotThrowAnyException();
        client.flush();
        List<JsonNode> events = this.posthog.server().events();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("event").asText()).isEqualTo("$exception");
        return events.get(0).get("properties");
    }

    private static JsonNode outermost(JsonNode props) {
        return props.get("$exception_list").get(0);
    }

    private static JsonNode mechanism(JsonNode entry) {
        return entry.get("mechanism");
    }

    /** The low-level builder without a capture boundary, as JSON. */
    private static JsonNode contextFree(ExceptionNode root) {
        return json(ExceptionPayload.build(root, null, null, null, null, List.of(), Map.of()));
    }

    private static ExceptionNode node(String type, String value, Map<String, Object> mechanism,
            ExceptionNode.Child... children) {
        return new ExceptionNode(type, value, null, List.of(), null, mechanism, List.of(children));
    }

    private static Throwable stackless(Throwable t) {
        t.setStackTrace(new StackTraceElement[0]);
        return t;
    }

    // ---------------------------------------------------------------------------------------
    // feature scenarios

    /**
     * Also spec.md "Manual capture emits canonical defaults" and "Generic manual capture
     * omits a concrete source".
     */
    @Test
    void manualCaptureEmitsCanonicalDefaults() {
        JsonNode props = captured(ExceptionOptions.builder(new CheckoutError("Checkout failed")).build());
        assertThat(props.get("$exception_level").asText()).isEqualTo("error");
        assertThat(props.has("$exception_source")).isFalse();
        JsonNode m = mechanism(outermost(props));
        assertThat(m.get("type").asText()).isEqualTo("generic");
        assertThat(m.get("handled").asBoolean()).isTrue();
        assertThat(m.get("exception_id").asInt()).isZero();
        assertThat(m.has("parent_id") || m.has("source")).isFalse();
    }

    /** Also spec.md "Framework boundary separates category from integration". */
    @Test
    void frameworkMiddlewareIdentifiesCategoryAndConcreteSource() {
        JsonNode props = captured(ExceptionOptions.builder(new RequestError("Request failed"))
            .mechanismType("middleware")
            .handled(false)
            .exceptionSource("django.middleware")
            .build());
        assertThat(props.get("$exception_source").asText()).isEqualTo("django.middleware");
        assertThat(mechanism(outermost(props)).get("type").asText()).isEqualTo("middleware");
        assertThat(mechanism(outermost(props)).get("handled").asBoolean()).isFalse();
    }

    /** Also spec.md "Wrapped cause records its relationship". */
    @Test
    void aNestedCauseIdentifiesItsRelationship() {
        JsonNode props = captured(ExceptionOptions
            .builder(new CheckoutError("Checkout failed", new DatabaseError("Connection failed"), true))
            .build());
        JsonNode outer = mechanism(outermost(props));
        assertThat(outer.get("exception_id").asInt()).isZero();
        assertThat(outer.has("parent_id") || outer.has("source")).isFalse();
        JsonNode nested = mechanism(props.get("$exception_list").get(1));
        assertThat(nested.get("type").asText()).isEqualTo("chained");
        assertThat(nested.get("parent_id").asInt()).isZero();
        assertThat(nested.get("source").asText()).isEqualTo("cause");
    }

    /**
     * The JVM has no aggregate exception type; its siblings are suppressed exceptions,
     * and the builder's tree takes {@code member} edges for integrations that have
     * aggregates. Both are checked: depth first, parents before children, unique ids.
     */
    @Test
    void anAggregateSerializesADeterministicFlattenedTree() {
        ExceptionNode aggregate = node("AggregateError", "Two operations failed", Map.of(),
                new ExceptionNode.Child("member", node("NetworkError", "Network failed", Map.of())),
                new ExceptionNode.Child("member", node("ValidationError", "Validation failed", Map.of(),
                        new ExceptionNode.Child("cause", node("ParseError", "Invalid value", Map.of())))));
        JsonNode list = json(ExceptionPayload.build(aggregate, Boundary.MANUAL, null, null, null, List.of(), Map.of()))
            .get("$exception_list");
        assertThat(types(list)).containsExactly("AggregateError", "NetworkError", "ValidationError", "ParseError");
        assertTree(list);
        assertThat(mechanism(list.get(1)).get("source").asText()).isEqualTo("member");
        assertThat(mechanism(list.get(2)).get("source").asText()).isEqualTo("member");
        assertThat(mechanism(list.get(3)).get("parent_id").asInt()).isEqualTo(2);

        RuntimeException jvm = new IllegalStateException("batch failed", new RootError("root"));
        jvm.addSuppressed(new TypeError("first"));
        jvm.addSuppressed(new IllegalArgumentException("second", new DatabaseError("nested")));
        JsonNode jvmList = captured(ExceptionOptions.builder(jvm).build()).get("$exception_list");
        assertThat(types(jvmList)).containsExactly("IllegalStateException", "TypeError", "IllegalArgumentException",
                "DatabaseError", "RootError");
        assertTree(jvmList);
        assertThat(mechanism(jvmList.get(3)).get("parent_id").asInt()).isEqualTo(2);
        assertThat(mechanism(jvmList.get(4)).get("parent_id").asInt()).isZero();
    }

    /** Also spec.md "Cycles and oversized trees are bounded deterministically". */
    @Test
    void cyclesAndOversizedExceptionTreesAreBounded() {
        RuntimeException a = new IllegalStateException("a");
        RuntimeException b = new IllegalArgumentException("b", a);
        a.initCause(b); // a -> b -> a
        a.addSuppressed(b);
        JsonNode cyclic = captured(ExceptionOptions.builder(a).build()).get("$exception_list");
        assertThat(types(cyclic)).containsExactly("IllegalStateException", "IllegalArgumentException");
        assertTree(cyclic);

        RuntimeException wide = new IllegalStateException("wide");
        for (int i = 0; i < 60; i++) {
            wide.addSuppressed(new IllegalArgumentException("s" + i, new RootError("r" + i)));
        }
        ExceptionNode tree = ThrowableReader.read(wide, InAppFrames.DEFAULT);
        JsonNode big = contextFree(tree).get("$exception_list");
        assertThat(big).hasSize(50);
        assertTree(big);
        // depth first: s0, its cause r0, s1, r1, ...; the 50th entry is s24 (1 + 24*2 +
        // 1)
        assertThat(big.get(1).get("value").asText()).isEqualTo("s0");
        assertThat(big.get(2).get("value").asText()).isEqualTo("r0");
        assertThat(big.get(49).get("value").asText()).isEqualTo("s24");
    }

    @Test
    void aPreservedRuntimeStackIsNotSynthetic() {
        JsonNode props = captured(ExceptionOptions.builder(new TypeError("with stack")).build());
        assertThat(outermost(props).get("stacktrace").get("frames").size()).isPositive();
        assertThat(mechanism(outermost(props)).get("synthetic").asBoolean()).isFalse();
    }

    /** Also spec.md "Synthesized current stack is marked synthetic". */
    @Test
    void aSynthesizedCurrentStackIsMarkedSynthetic() {
        JsonNode props = captured(ExceptionOptions.message("no throwable here").build());
        assertThat(outermost(props).get("stacktrace").get("frames").size()).isPositive();
        assertThat(mechanism(outermost(props)).get("synthetic").asBoolean()).isTrue();
    }

    /** Also spec.md "Native warning level is normalized". */
    @Test
    void loggerCaptureNormalizesSeverityAndRemainsHandled() {
        JsonNode props = captured(ExceptionOptions.builder(new TypeError("logged"))
            .level("warn")
            .mechanismType("logger")
            .handled(true)
            .exceptionSource("logback.appender")
            .build());
        assertThat(props.get("$exception_level").asText()).isEqualTo("warning");
        assertThat(mechanism(outermost(props)).get("type").asText()).isEqualTo("logger");
        assertThat(mechanism(outermost(props)).get("handled").asBoolean()).isTrue();
    }

    /** Also spec.md "Fatal logger capture remains handled". */
    @Test
    void aFatalLoggerCallRemainsHandled() {
        JsonNode props = captured(
                ExceptionOptions.builder(new TypeError("logged")).level("FATAL").mechanismType("logger").build());
        assertThat(props.get("$exception_level").asText()).isEqualTo("fatal");
        assertThat(mechanism(outermost(props)).get("handled").asBoolean()).isTrue();
    }

    /** Also spec.md "Terminating failure is fatal and unhandled". */
    @Test
    void aTerminatingFailureEmitsFatalUnhandledMetadata() {
        JsonNode props = captured(ExceptionOptions.builder(new TypeError("main thread died"))
            .level("fatal")
            .mechanismType("onuncaughtexception")
            .handled(false)
            .exceptionSource("jvm.uncaught_exception_handler")
            .build());
        assertThat(props.get("$exception_level").asText()).isEqualTo("fatal");
        assertThat(mechanism(outermost(props)).get("handled").asBoolean()).isFalse();
    }

    /**
     * The JVM's deferred delivery: the failure is captured in the dying process and kept
     * in the durable spool (PostHog unreachable), and the next process delivers it. Also
     * spec.md "Deferred native crash retains original boundary metadata".
     */
    @Test
    void aDeferredNativeCrashRetainsOriginalBoundaryMetadata(@TempDir Path spool) {
        PosthogStandIn server = this.posthog.server();
        server.defaultReply(PosthogStandIn.Reply.status(503));
        ManagedPosthogClient dying = this.posthog.client((b) -> b.spool(spool)
            .maxRetries(0)
            .retryInitialBackoff(Duration.ofMillis(10))
            .shutdownTimeout(Duration.ofMillis(500)));
        String uuid = dying.captureException(ExceptionOptions.builder(new TypeError("crashed"))
            .level("fatal")
            .mechanismType("onuncaughtexception")
            .handled(false)
            .exceptionSource("jvm.uncaught_exception_handler")
            .build());
        dying.close();
        assertThat(server.events()).isEmpty();

        server.defaultReply(PosthogStandIn.Reply.ok());
        ManagedPosthogClient next = this.posthog.client((b) -> b.spool(spool));
        next.flush();
        List<JsonNode> events = server.events();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("uuid").asText()).isEqualTo(uuid);
        JsonNode props = events.get(0).get("properties");
        assertThat(props.get("$exception_level").asText()).isEqualTo("fatal");
        assertThat(props.get("$exception_source").asText()).isEqualTo("jvm.uncaught_exception_handler");
        assertThat(mechanism(outermost(props)).get("handled").asBoolean()).isFalse();
        assertThat(mechanism(outermost(props)).get("type").asText()).isEqualTo("onuncaughtexception");
    }

    /**
     * A JVM has no native frames; the builder keeps native frames and their debug images
     * that an integration supplies (as a relay of another platform's crash would).
     */
    @Test
    void nativeFrameCarriesMatchingDebugImageMetadata() {
        Map<String, Object> nativeFrame = Map.of("platform", "native", "instruction_addr", "0x104f01234", "image_addr",
                "0x104f00000");
        ExceptionNode crash = new ExceptionNode("SIGABRT", "Abort trap", null, List.of(nativeFrame), false, Map.of(),
                List.of());
        List<Map<String, Object>> images = List.of(
                Map.of("type", "macho", "debug_id", "A1B2C3D4-E5F6-7890-ABCD-EF1234567890", "image_addr",
                        "0x104f00000"),
                Map.of("debug_id", "UNREFERENCED", "image_addr", "0x200000000"), Map.of("image_addr", "0x104f00000"));
        JsonNode props = json(ExceptionPayload.build(crash,
                new Boundary("fatal", "signal", false, "ios.crash_reporter"), null, null, null, images, Map.of()));
        JsonNode frame = outermost(props).get("stacktrace").get("frames").get(0);
        assertThat(frame.get("instruction_addr").asText()).isEqualTo("0x104f01234");
        assertThat(frame.get("image_addr").asText()).isEqualTo("0x104f00000");
        assertThat(props.get("$debug_images")).hasSize(1);
        assertThat(props.get("$debug_images").get(0).get("debug_id").asText())
            .isEqualTo("A1B2C3D4-E5F6-7890-ABCD-EF1234567890");
        assertThat(props.get("$debug_images").get(0).get("image_addr").asText()).isEqualTo("0x104f00000");
    }

    /** Also spec.md "SDK does not confuse capture source with source files". */
    @Test
    void captureSourceRemainsDistinctFromProcessorDerivedSourceFiles() {
        JsonNode props = captured(ExceptionOptions.builder(new RequestError("Request failed"))
            .mechanismType("middleware")
            .handled(false)
            .exceptionSource("django.middleware")
            .property("$exception_sources", List.of("app/views.py"))
            .build());
        assertThat(props.get("$exception_source").asText()).isEqualTo("django.middleware");
        assertThat(props.has("$exception_sources")).isFalse();
        assertThat(outermost(props).get("stacktrace").get("frames").get(0).get("filename").asText()).endsWith(".java");
    }

    /** Also spec.md "Application property bag cannot impersonate an integration". */
    @Test
    void genericPropertiesCannotOverrideCanonicalExceptionMetadata() {
        Map<String, Object> bag = new LinkedHashMap<>();
        bag.put("$exception_list", List.of(Map.of("type", "Fake", "value", "fake")));
        bag.put("$exception_level", "debug");
        bag.put("$exception_source", "django.middleware");
        bag.put("$exception_type", "Fake");
        bag.put("$exception_message", "fake");
        bag.put("$debug_images", List.of(Map.of("debug_id", "x", "image_addr", "0x1")));
        bag.put("$exception_types", List.of("Fake"));
        bag.put("$exception_handled", false);
        bag.put("area", "checkout");
        JsonNode props = captured(
                ExceptionOptions.builder(new CheckoutError("Checkout failed")).properties(bag).build());
        assertThat(outermost(props).get("type").asText()).isEqualTo("CheckoutError");
        assertThat(props.get("$exception_list")).hasSize(1);
        assertThat(props.get("$exception_level").asText()).isEqualTo("error");
        assertThat(props.has("$exception_source")).isFalse();
        assertThat(props.get("$exception_type").asText()).isEqualTo("CheckoutError");
        assertThat(props.get("$exception_message").asText()).isEqualTo("Checkout failed");
        assertThat(props.has("$debug_images") || props.has("$exception_types") || props.has("$exception_handled"))
            .isFalse();
        assertThat(props.get("area").asText()).isEqualTo("checkout");
    }

    /** Also spec.md "Internal integration metadata overrides its boundary default". */
    @Test
    void internalIntegrationMetadataParticipatesInTypedPrecedence() {
        JsonNode props = captured(ExceptionOptions.builder(new TypeError("job failed"))
            .mechanismType("task")
            .handled(false)
            .level("error")
            .exceptionSource("spring.scheduled_error_handler")
            .mechanism(Map.of("queue", "billing"))
            .build());
        JsonNode m = mechanism(outermost(props));
        assertThat(m.get("type").asText()).isEqualTo("task");
        assertThat(m.get("handled").asBoolean()).isFalse();
        assertThat(m.get("queue").asText()).isEqualTo("billing");
        assertThat(props.get("$exception_source").asText()).isEqualTo("spring.scheduled_error_handler");
    }

    /** Also spec.md "Invalid boundary override falls back to the boundary default". */
    @Test
    void invalidTypedMetadataFallsBackAtAnSdkOwnedBoundary() {
        Map<String, Object> mechanism = new LinkedHashMap<>();
        mechanism.put("type", "");
        mechanism.put("synthetic", true);
        JsonNode props = captured(
                ExceptionOptions.builder(new TypeError("x")).mechanism(mechanism).level("verbose").build());
        assertThat(mechanism(outermost(props)).get("type").asText()).isEqualTo("generic");
        assertThat(props.get("$exception_level").asText()).isEqualTo("error");
        assertThat(mechanism(outermost(props)).get("synthetic").asBoolean()).isTrue();
    }

    /** Also spec.md "Invalid context-free value remains absent". */
    @Test
    void invalidMetadataRemainsAbsentInAContextFreeBuilder() {
        JsonNode m = mechanism(outermost(contextFree(node("TypeError", "x", Map.of("handled", "yes")))));
        assertThat(m.has("handled")).isFalse();
    }

    /** Also spec.md "Context-free event assembler emits linkage-only mechanism". */
    @Test
    void aLowLevelProducerPreservesUnknownMetadataAsAbsent() {
        JsonNode props = contextFree(node("TypeError", "x", Map.of()));
        assertThat(props.has("$exception_level") || props.has("$exception_source")
                || props.has("$exception_fingerprint") || props.has("$debug_images"))
            .isFalse();
        JsonNode m = mechanism(outermost(props));
        assertThat(m.get("exception_id").asInt()).isZero();
        assertThat(fields(m)).containsExactly("exception_id");
    }

    // ---------------------------------------------------------------------------------------
    // spec.md scenarios not in the feature file

    @Test
    void exceptionEventHasANonEmptyCanonicalList() {
        JsonNode props = captured(
                ExceptionOptions.builder(new CheckoutError("Checkout failed", new DatabaseError(null), true)).build());
        assertThat(props.get("$exception_list").size()).isPositive();
        for (JsonNode entry : props.get("$exception_list")) {
            assertThat(entry.get("type").isTextual() && !entry.get("type").asText().isEmpty()).isTrue();
            assertThat(entry.get("value").isTextual()).isTrue();
        }
        assertThat(props.get("$exception_list").get(1).get("value").asText()).isEmpty();
    }

    @Test
    void knownMechanismMetadataUsesCanonicalFieldTypes() {
        JsonNode props = captured(
                ExceptionOptions.builder(new CheckoutError("c", new DatabaseError("d"), true)).handled(false).build());
        for (JsonNode entry : props.get("$exception_list")) {
            JsonNode m = mechanism(entry);
            m.fields().forEachRemaining((f) -> assertThat(f.getValue().isNull()).as(f.getKey()).isFalse());
            assertThat(m.get("type").isTextual()).isTrue();
            assertThat(m.get("synthetic").isBoolean()).isTrue();
            assertThat(m.get("exception_id").isIntegralNumber()).isTrue();
            if (m.has("handled")) {
                assertThat(m.get("handled").isBoolean()).isTrue();
            }
            if (m.has("parent_id")) {
                assertThat(m.get("parent_id").isIntegralNumber()).isTrue();
                assertThat(m.get("source").isTextual()).isTrue();
            }
        }
    }

    @Test
    void lowLevelBuilderPreservesSuppliedMechanismMetadata() {
        Map<String, Object> supplied = Map.of("type", "chained", "handled", true, "source", "inner", "synthetic", false,
                "exception_id", 7, "parent_id", 0);
        ExceptionNode root = node("Outer", "o", Map.of(),
                new ExceptionNode.Child("cause", node("Inner", "i", supplied)));
        JsonNode m = mechanism(contextFree(root).get("$exception_list").get(1));
        assertThat(m.get("type").asText()).isEqualTo("chained");
        assertThat(m.get("handled").asBoolean()).isTrue();
        assertThat(m.get("source").asText()).isEqualTo("inner");
        assertThat(m.get("synthetic").asBoolean()).isFalse();
        assertThat(m.get("exception_id").asInt()).isEqualTo(7);
        assertThat(m.get("parent_id").asInt()).isZero();
    }

    @Test
    void malformedSuppliedCommonFieldsAreOmittedSafely() {
        Map<String, Object> supplied = new LinkedHashMap<>();
        supplied.put("type", 42);
        supplied.put("handled", "true");
        supplied.put("source", "");
        supplied.put("synthetic", null);
        supplied.put("exception_id", -3);
        supplied.put("parent_id", "0");
        supplied.put("frame_count", 12);
        supplied.put("meta", Map.of("thread", "main"));
        supplied.put("not_json", new Object());
        ExceptionNode root = node("Outer", "o", Map.of("type", "", "handled", 1, "is_exception_group", true),
                new ExceptionNode.Child("cause", node("Inner", "i", supplied)));
        JsonNode list = contextFree(root).get("$exception_list");
        assertThat(fields(mechanism(list.get(0)))).containsExactlyInAnyOrder("exception_id", "is_exception_group");
        JsonNode nested = mechanism(list.get(1));
        assertThat(nested.get("type").asText()).isEqualTo("chained");
        assertThat(nested.get("source").asText()).isEqualTo("cause");
        assertThat(nested.get("exception_id").asInt()).isEqualTo(1);
        assertThat(nested.get("parent_id").asInt()).isZero();
        assertThat(nested.has("handled") || nested.has("synthetic") || nested.has("not_json")).isFalse();
        assertThat(nested.get("frame_count").asInt()).isEqualTo(12);
        assertThat(nested.get("meta").get("thread").asText()).isEqualTo("main");
    }

    @Test
    void emptySuppliedMechanismBecomesLinkageOnly() {
        Map<String, Object> invalid = new LinkedHashMap<>();
        invalid.put("type", "");
        invalid.put("handled", null);
        invalid.put("synthetic", "no");
        JsonNode m = mechanism(outermost(contextFree(node("TypeError", "x", invalid))));
        assertThat(fields(m)).containsExactly("exception_id");
        assertThat(m.get("exception_id").asInt()).isZero();
    }

    @Test
    void unknownIntegrationTypeIsPreserved() {
        JsonNode m = mechanism(outermost(contextFree(node("TypeError", "x", Map.of("type", "grpc_interceptor")))));
        assertThat(m.get("type").asText()).isEqualTo("grpc_interceptor");
        JsonNode viaApi = captured(
                ExceptionOptions.builder(new TypeError("x")).mechanismType("grpc_interceptor").build());
        assertThat(mechanism(outermost(viaApi)).get("type").asText()).isEqualTo("grpc_interceptor");
    }

    @Test
    void manualCaptureMarksTheOutermostExceptionHandled() {
        JsonNode props = captured(ExceptionOptions.builder(new TypeError("caught")).build());
        assertThat(mechanism(outermost(props)).get("handled").asBoolean()).isTrue();
    }

    @Test
    void frameworkHandlerThatConsumesAFailureIsHandled() {
        JsonNode props = captured(ExceptionOptions.builder(new TypeError("rendered as a 500 page"))
            .mechanismType("middleware")
            .handled(true)
            .exceptionSource("spring.mvc_exception_resolver")
            .build());
        assertThat(mechanism(outermost(props)).get("handled").asBoolean()).isTrue();
    }

    @Test
    void exceptionEscapingApplicationCodeIsUnhandled() {
        JsonNode props = captured(ExceptionOptions.builder(new TypeError("escaped"))
            .mechanismType("middleware")
            .handled(false)
            .exceptionSource("spring.mvc_exception_resolver")
            .build());
        assertThat(mechanism(outermost(props)).get("handled").asBoolean()).isFalse();
    }

    /** Also spec.md "Nested handled state is authoritative producer metadata". */
    @Test
    void unknownNestedHandledStateRemainsAbsent() {
        JsonNode props = captured(ExceptionOptions.builder(new CheckoutError("outer", new DatabaseError("inner"), true))
            .handled(false)
            .build());
        assertThat(mechanism(outermost(props)).get("handled").asBoolean()).isFalse();
        assertThat(mechanism(props.get("$exception_list").get(1)).has("handled")).isFalse();
        assertThat(props.has("$exception_handled")).isFalse();
    }

    @Test
    void runtimeExceptionWithoutAReplacementStackIsNotSynthetic() {
        JsonNode props = captured(ExceptionOptions.builder(stackless(new TypeError("no stack"))).build());
        assertThat(outermost(props).has("stacktrace")).isFalse();
        assertThat(mechanism(outermost(props)).get("synthetic").asBoolean()).isFalse();
    }

    @Test
    void unknownSyntheticProvenanceRemainsAbsent() {
        ExceptionNode unknown = new ExceptionNode("TypeError", "x", null, List.of(), null, Map.of(), List.of());
        assertThat(mechanism(outermost(contextFree(unknown))).has("synthetic")).isFalse();
    }

    @Test
    void aggregateMemberIsNotMislabeledAsACause() {
        ExceptionNode aggregate = node("AggregateError", "two", Map.of(),
                new ExceptionNode.Child("member", node("A", "a", Map.of())),
                new ExceptionNode.Child("member", node("B", "b", Map.of())));
        JsonNode list = contextFree(aggregate).get("$exception_list");
        assertThat(mechanism(list.get(0)).get("exception_id").asInt()).isZero();
        assertThat(types(list)).containsExactly("AggregateError", "A", "B");
        for (int i = 1; i <= 2; i++) {
            assertThat(mechanism(list.get(i)).get("parent_id").asInt()).isZero();
            assertThat(mechanism(list.get(i)).get("type").asText()).isEqualTo("chained");
            assertThat(mechanism(list.get(i)).get("source").asText()).isEqualTo("member");
        }
    }

    @Test
    void nestedCauseBeneathAnAggregateMemberRetainsItsParent() {
        ExceptionNode aggregate = node("AggregateError", "two", Map.of(),
                new ExceptionNode.Child("member", node("A", "a", Map.of())), new ExceptionNode.Child("member",
                        node("B", "b", Map.of(), new ExceptionNode.Child("cause", node("C", "c", Map.of())))));
        JsonNode list = contextFree(aggregate).get("$exception_list");
        JsonNode cause = mechanism(list.get(3));
        assertThat(cause.get("parent_id").asInt()).isEqualTo(mechanism(list.get(2)).get("exception_id").asInt());
        assertThat(cause.get("type").asText()).isEqualTo("chained");
        assertThat(cause.get("source").asText()).isEqualTo("cause");
    }

    @Test
    void nativeCriticalLevelIsNormalized() {
        JsonNode props = captured(
                ExceptionOptions.builder(new TypeError("x")).level("critical").mechanismType("logger").build());
        assertThat(props.get("$exception_level").asText()).isEqualTo("fatal");
    }

    @Test
    void unknownSourceLevelRemainsAbsent() {
        JsonNode props = json(ExceptionPayload.build(node("TypeError", "x", Map.of()), null, "verbose", null, null,
                List.of(), Map.of()));
        assertThat(props.has("$exception_level")).isFalse();
    }

    @Test
    void interpretedStackOmitsDebugImages() {
        JsonNode props = captured(ExceptionOptions.builder(new TypeError("jvm frames only")).build());
        assertThat(props.has("$debug_images")).isFalse();
        for (JsonNode frame : outermost(props).get("stacktrace").get("frames")) {
            assertThat(frame.has("instruction_addr") || frame.has("image_addr")).isFalse();
        }
    }

    @Test
    void explicitCustomFingerprintIsPreserved() {
        assertThat(captured(ExceptionOptions.builder(new TypeError("x")).fingerprint("checkout-timeouts").build())
            .get("$exception_fingerprint")
            .asText()).isEqualTo("checkout-timeouts");
    }

    @Test
    void aFingerprintPropertyIsTheDocumentedGenericKey() {
        assertThat(captured(ExceptionOptions.builder(new TypeError("x"))
            .property("$exception_fingerprint", "from-property")
            .build()).get("$exception_fingerprint").asText()).isEqualTo("from-property");
    }

    @Test
    void missingFingerprintRemainsAbsentAtTheProducer() {
        assertThat(captured(ExceptionOptions.builder(new TypeError("x")).build()).has("$exception_fingerprint"))
            .isFalse();
    }

    // ---------------------------------------------------------------------------------------

    /** Parents before children, unique ids, nested entries chained with a parent. */
    private static void assertTree(JsonNode list) {
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode m = mechanism(list.get(i));
            int id = m.get("exception_id").asInt();
            assertThat(ids.add(id)).as("unique id %s", id).isTrue();
            if (i == 0) {
                assertThat(id).isZero();
            }
            else {
                assertThat(m.get("type").asText()).isEqualTo("chained");
                assertThat(ids).as("parent of %s seen before", i).contains(m.get("parent_id").asInt());
            }
        }
    }

    private static List<String> types(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach((e) -> out.add(e.get("type").asText()));
        return out;
    }

    private static List<String> fields(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

}
