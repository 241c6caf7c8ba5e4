package io.github.posthog4j.client.exceptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.ExceptionOptions;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.errors.RootError;
import io.github.posthog4j.client.errors.TypeError;
import io.github.posthog4j.client.errors.WrapperError;
import io.github.posthog4j.testsupport.PosthogExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostHog's {@code capture-exception} capability (sdk-specs
 * {@code acceptance/public/capture-exception.feature} and {@code spec.md}): one test per
 * {@code @both} scenario, named after it, against the stand-in server; then the JVM
 * specifics (frame format, in-app, caps, the storm guard).
 */
class CaptureExceptionTests {

    @RegisterExtension
    final PosthogExtension posthog = PosthogExtension.create();

    private JsonNode onlyEvent(ManagedPosthogClient client) {
        client.flush();
        List<JsonNode> events = this.posthog.server().events();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("event").asText()).isEqualTo("$exception");
        return events.get(0);
    }

    private static JsonNode frames(JsonNode entry) {
        assertThat(entry.path("stacktrace").path("type").asText()).isEqualTo("raw");
        return entry.get("stacktrace").get("frames");
    }

    // ---------------------------------------------------------------------------------------
    // scenarios

    @Test
    void capturingAHandledExceptionEmitsAnExceptionEvent() {
        ManagedPosthogClient client = this.posthog.client();
        String uuid = client.captureException(new TypeError("boom"));
        JsonNode event = onlyEvent(client);
        assertThat(event.get("uuid").asText()).isEqualTo(uuid);
        JsonNode props = event.get("properties");
        assertThat(props.get("$exception_type").asText()).isEqualTo("TypeError");
        assertThat(props.get("$exception_message").asText()).isEqualTo("boom");
        JsonNode frames = frames(props.get("$exception_list").get(0));
        assertThat(frames.size()).isGreaterThan(1);
        assertThat(frames.get(frames.size() - 1).get("function").asText())
            .isEqualTo("capturingAHandledExceptionEmitsAnExceptionEvent");
        assertThat(props.get("$exception_list").get(0).get("mechanism").get("handled").asBoolean()).isTrue();
    }

    @Test
    void exceptionCaptureIncludesCallerProperties() {
        ManagedPosthogClient client = this.posthog.client();
        client.captureException(new TypeError("boom"), Map.of("handled", true, "area", "checkout"));
        JsonNode props = onlyEvent(client).get("properties");
        assertThat(props.get("handled").asBoolean()).isTrue();
        assertThat(props.get("area").asText()).isEqualTo("checkout");
    }

    /**
     * A JVM can only throw {@link Throwable}s; the non-standard value is one that fights
     * back: its message, cause, stack trace and string accessors throw.
     */
    @Test
    void exceptionCaptureNormalizesNonStandardThrownValues() {
        ManagedPosthogClient client = this.posthog.client();
        Throwable hostile = new HostileThrowable();
        assertThatCode(() -> client.captureException(hostile)).doesNotThrowAnyException();
        JsonNode props = onlyEvent(client).get("properties");
        assertThat(props.get("$exception_type").asText()).isEqualTo("CaptureExceptionTests$HostileThrowable");
        assertThat(props.get("$exception_message").isTextual()).isTrue();
        assertThat(props.get("$exception_message").asText())
            .isEqualTo("(the message could not be read: java.lang.IllegalStateException)");
        assertThat(props.get("$exception_list")).hasSize(1);
        assertThat(props.get("$exception_list").get(0).has("stacktrace")).isFalse();
    }

    @Test
    void framesAreOrderedEntryPointFirstCrashSiteLast() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                ExceptionChainChild.class.getName(), this.posthog.server().url())
            .redirectErrorStream(true)
            .start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
            .isZero();
        List<JsonNode> events = this.posthog.server().events();
        assertThat(events).hasSize(1);
        JsonNode frames = frames(events.get(0).get("properties").get("$exception_list").get(0));
        assertThat(functions(frames)).containsExactly("main", "handler", "boom");
        assertThat(frames.get(0).get("function").asText()).isEqualTo("main");
        assertThat(frames.get(frames.size() - 1).get("function").asText()).isEqualTo("boom");
        assertThat(frames.get(0).get("module").asText()).isEqualTo(ExceptionChainChild.class.getName());
        assertThat(frames.get(2).get("in_app").asBoolean()).isTrue();
    }

    @Test
    void crashFirstRuntimeStacksAreReversedBeforeSending() {
        ManagedPosthogClient client = this.posthog.client();
        TypeError error = new TypeError("boom");
        StackTraceElement[] runtime = error.getStackTrace(); // the JVM's order: crash
                                                             // site first
        client.captureException(error);
        JsonNode frames = frames(onlyEvent(client).get("properties").get("$exception_list").get(0));
        assertThat(frames).hasSize(runtime.length);
        for (int i = 0; i < runtime.length; i++) {
            StackTraceElement expected = runtime[runtime.length - 1 - i];
            assertThat(frames.get(i).get("module").asText()).isEqualTo(expected.getClassName());
            assertThat(frames.get(i).get("function").asText()).isEqualTo(expected.getMethodName());
        }
        assertThat(frames.get(frames.size() - 1).get("lineno").asInt()).isEqualTo(runtime[0].getLineNumber());
    }

    @Test
    void chainedExceptionsAreListedCaughtFirstRootCauseLast() {
        ManagedPosthogClient client = this.posthog.client();
        WrapperError caught = new WrapperError("wrapped", new RootError("root"), true);
        caught.addSuppressed(new TypeError("while closing"));
        client.captureException(caught);
        JsonNode list = onlyEvent(client).get("properties").get("$exception_list");
        assertThat(types(list)).containsExactly("WrapperError", "TypeError", "RootError");
        assertThat(list.get(list.size() - 1).get("mechanism").get("source").asText()).isEqualTo("cause");
        assertThat(list.get(1).get("mechanism").get("source").asText()).isEqualTo("suppressed");
    }

    /**
     * The JVM chains exceptions; an exception without a cause or suppressed exceptions is
     * the case of a platform without chaining.
     */
    @Test
    void platformsWithoutExceptionChainingSendASingleElementList() {
        ManagedPosthogClient client = this.posthog.client();
        client.captureException(new TypeError("alone"));
        assertThat(onlyEvent(client).get("properties").get("$exception_list")).hasSize(1);
    }

    /**
     * The JVM has no source files at run time: frames carry no source context (the
     * scenario "Context arrays are in ascending file order" has nothing to apply to).
     */
    @Test
    void framesWithoutSourceContextAreValid() {
        ManagedPosthogClient client = this.posthog.client();
        client.captureException(new WrapperError("outer", new RootError("root"), true));
        for (JsonNode entry : onlyEvent(client).get("properties").get("$exception_list")) {
            for (JsonNode frame : frames(entry)) {
                assertThat(frame.has("context_line") || frame.has("pre_context") || frame.has("post_context"))
                    .isFalse();
                assertThat(frame.get("platform").asText()).isEqualTo("java");
            }
        }
    }

    @Test
    void anExistingStackTraceIsPreservedNotReplacedByASynthesizedOne() {
        ManagedPosthogClient client = this.posthog.client();
        TypeError error = new TypeError("replayed");
        error.setStackTrace(new StackTraceElement[] { new StackTraceElement("com.example.Db", "query", "Db.java", 9),
                new StackTraceElement("com.example.Repo", "find", "Repo.java", 20),
                new StackTraceElement("com.example.Api", "get", "Api.java", 31) });
        client.captureException(error);
        JsonNode entry = onlyEvent(client).get("properties").get("$exception_list").get(0);
        assertThat(functions(frames(entry))).containsExactly("get", "find", "query");
        assertThat(frames(entry).get(2).get("filename").asText()).isEqualTo("Db.java");
        assertThat(frames(entry).get(2).get("lineno").asInt()).isEqualTo(9);
        assertThat(entry.get("mechanism").get("synthetic").asBoolean()).isFalse();
    }

    // ---------------------------------------------------------------------------------------
    // the JVM's frame format, in-app, caps

    @Test
    void framesUseTheJvmFormatAndTheApplicationsPackagesAreInApp() {
        ManagedPosthogClient client = this.posthog
            .client((b) -> b.inAppPackages(List.of("io.github.posthog4j.client.exceptions")));
        client.captureException(new TypeError("boom"));
        JsonNode entry = onlyEvent(client).get("properties").get("$exception_list").get(0);
        assertThat(entry.get("type").asText()).isEqualTo("TypeError");
        assertThat(entry.get("module").asText()).isEqualTo("io.github.posthog4j.client.errors");
        JsonNode crashSite = frames(entry).get(frames(entry).size() - 1);
        assertThat(crashSite.get("platform").asText()).isEqualTo("java");
        assertThat(crashSite.get("module").asText()).isEqualTo(CaptureExceptionTests.class.getName());
        assertThat(crashSite.get("function").asText())
            .isEqualTo("framesUseTheJvmFormatAndTheApplicationsPackagesAreInApp");
        assertThat(crashSite.get("filename").asText()).isEqualTo("CaptureExceptionTests.java");
        assertThat(crashSite.get("lineno").asInt()).isPositive();
        assertThat(crashSite.get("in_app").asBoolean()).isTrue();
        assertThat(frames(entry).get(0).get("in_app").asBoolean()).as("the thread's entry point").isFalse();
    }

    @Test
    void withoutInAppPackagesFramesOutsideTheJdkAreInApp() {
        ManagedPosthogClient client = this.posthog.client();
        client.captureException(new TypeError("boom"));
        for (JsonNode frame : frames(onlyEvent(client).get("properties").get("$exception_list").get(0))) {
            boolean jdk = frame.get("module").asText().matches("(java|javax|jdk|sun|com\\.sun)\\..*");
            assertThat(frame.get("in_app").asBoolean()).as(frame.toString()).isEqualTo(!jdk);
        }
    }

    @Test
    void aDeepStackKeepsTheFramesNearestTheCrashSite() {
        ManagedPosthogClient client = this.posthog.client();
        TypeError deep = recurse(400);
        client.captureException(deep);
        JsonNode frames = frames(onlyEvent(client).get("properties").get("$exception_list").get(0));
        assertThat(frames).hasSize(200);
        assertThat(frames.get(199).get("function").asText()).isEqualTo("recurse");
        assertThat(frames.get(0).get("function").asText()).isEqualTo("recurse");
    }

    @Test
    void aNullExceptionIsIgnoredAndCountedInvalid() {
        ManagedPosthogClient client = this.posthog.client();
        assertThat(client.captureException((Throwable) null)).isNull();
        assertThat(client.flush()).isZero();
        assertThat(this.posthog.drops(DropReason.INVALID)).isEqualTo(1);
    }

    @Test
    void whenOptedOutNothingIsCapturedOrCounted() {
        ManagedPosthogClient client = this.posthog.client((b) -> b.optOut(true));
        assertThat(client.captureException(new TypeError("quiet"))).isNull();
        assertThat(client.flush()).isZero();
        assertThat(this.posthog.drops()).isEmpty();
    }

    @Test
    void aFailureWithoutAThrowableIsSentWithTheCallersStackMarkedSynthetic() {
        ManagedPosthogClient client = this.posthog.client();
        client.captureException(ExceptionOptions.message("payment gateway answered 502").build());
        JsonNode entry = onlyEvent(client).get("properties").get("$exception_list").get(0);
        assertThat(entry.get("type").asText()).isEqualTo("Error");
        assertThat(entry.get("value").asText()).isEqualTo("payment gateway answered 502");
        assertThat(entry.get("mechanism").get("synthetic").asBoolean()).isTrue();
        JsonNode frames = frames(entry);
        assertThat(frames.get(frames.size() - 1).get("function").asText())
            .isEqualTo("aFailureWithoutAThrowableIsSentWithTheCallersStackMarkedSynthetic");
        for (JsonNode f : frames) {
            assertThat(f.get("module").asText()).doesNotStartWith("io.github.posthog4j.client.Posthog")
                .doesNotStartWith("io.github.posthog4j.client.internal");
        }
    }

    /**
     * sdk-specs {@code exception-steps} is a client capability (a server SDK has no
     * single-user timeline): this client keeps no step buffer, and steps an application
     * sends itself go through untouched.
     */
    @Test
    void callerSuppliedExceptionStepsAreNotOverwritten() {
        ManagedPosthogClient client = this.posthog.client();
        List<Map<String, Object>> steps = List
            .of(Map.of("$message", "opened cart", "$timestamp", "2025-01-01T00:00:00Z"));
        client.captureException(new TypeError("boom"), Map.of("$exception_steps", steps));
        JsonNode props = onlyEvent(client).get("properties");
        assertThat(props.get("$exception_steps")).hasSize(1);
        assertThat(props.get("$exception_steps").get(0).get("$message").asText()).isEqualTo("opened cart");
    }

    // ---------------------------------------------------------------------------------------
    // storm guard

    @Test
    void theSameExceptionIsSentAtMostMaxPerMinuteAndTheRestCountedRateLimited() {
        ManagedPosthogClient client = this.posthog.client((b) -> b.maxExceptionsPerMinute(3));
        List<String> uuids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            uuids.add(client.captureException(new TypeError("request " + i)));
        }
        String other = client.captureException(new RootError("another failure"));
        client.flush();
        assertThat(uuids.subList(0, 3)).doesNotContainNull();
        assertThat(uuids.subList(3, 5)).containsOnlyNulls();
        assertThat(other).isNotNull();
        assertThat(this.posthog.server().events()).hasSize(4);
        assertThat(this.posthog.drops(DropReason.RATE_LIMITED)).isEqualTo(2);
        assertThat(client.status().dropped()).containsEntry(DropReason.RATE_LIMITED, 2L);
    }

    @Test
    void aCustomFingerprintIsWhatTheStormGuardCounts() {
        ManagedPosthogClient client = this.posthog.client((b) -> b.maxExceptionsPerMinute(1));
        assertThat(client.captureException(ExceptionOptions.builder(new TypeError("a")).fingerprint("f1").build()))
            .isNotNull();
        assertThat(client.captureException(ExceptionOptions.builder(new TypeError("a")).fingerprint("f2").build()))
            .isNotNull();
        assertThat(client.captureException(ExceptionOptions.builder(new TypeError("a")).fingerprint("f1").build()))
            .isNull();
        assertThat(this.posthog.drops(DropReason.RATE_LIMITED)).isEqualTo(1);
    }

    // ---------------------------------------------------------------------------------------

    private static TypeError recurse(int depth) {
        return (depth == 0) ? new TypeError("deep") : recurse(depth - 1);
    }

    private static List<String> functions(JsonNode frames) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : frames) {
            String module = f.get("module").asText();
            if (module.startsWith(ExceptionChainChild.class.getName()) || module.startsWith("com.example")) {
                out.add(f.get("function").asText());
            }
        }
        return out;
    }

    private static List<String> types(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach((e) -> out.add(e.get("type").asText()));
        return out;
    }

    /** A throwable whose accessors throw. */
    static final class HostileThrowable extends Throwable {

        HostileThrowable() {
            super("hidden", null, false, false);
        }

        @Override
        public String getMessage() {
            throw new IllegalStateException("no message for you");
        }

        @Override
        public synchronized Throwable getCause() {
            throw new IllegalStateException("no cause for you");
        }

        @Override
        public StackTraceElement[] getStackTrace() {
            throw new UnsupportedOperationException("no stack for you");
        }

        @Override
        public String toString() {
            throw new IllegalStateException("no string for you");
        }

    }

}
