package io.github.posthog4j.test;

import static io.github.posthog4j.test.PosthogAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.PosthogEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The assertions pass on what was recorded and fail, with a message that lists what was
 * recorded, on what was not.
 */
class PosthogAssertionsTests {

    private final PosthogRecorder recorder = new PosthogRecorder();

    private void capture(String distinctId, String event, Map<String, Object> properties) {
        recorder.record(new PosthogEvent(event, distinctId, new LinkedHashMap<>(properties), Instant.now(),
                java.util.UUID.randomUUID().toString()));
    }

    @Test
    void whenEventsMatchShouldPassAndNarrowStepByStep() {
        capture("u1", "order placed", Map.of("total", 42, "currency", "EUR"));
        capture("u2", "order placed", Map.of("total", 7));
        capture("u1", "signed up", Map.of());

        assertThat(recorder).hasCaptured("order placed").times(2);
        assertThat(recorder).hasCaptured("order placed")
            .forDistinctId("u1")
            .withProperty("total", 42L)
            .withProperty("currency")
            .withProperties(Map.of("currency", "EUR"))
            .once();
        assertThat(recorder).hasCaptured("order placed").withoutProperty("currency").single();
        assertThat(recorder).hasCaptured("order placed")
            .matching("a big order", (e) -> ((Integer) e.property("total")) > 10)
            .satisfies((e) -> assertThat(e.distinctId()).isEqualTo("u1"));
        assertThat(recorder).hasNotCaptured("order cancelled").hasCapturedEvents(3);
        assertThat(recorder.events("order placed")).hasSize(2);
    }

    @Test
    void whenNothingMatchesShouldFailListingWhatWasCaptured() {
        capture("u2", "order placed", Map.of("total", 7));
        assertThatThrownBy(() -> assertThat(recorder).hasCaptured("order placed").forDistinctId("u1"))
            .isInstanceOf(AssertionError.class)
            .hasMessageContaining("Expected an event 'order placed' for distinct id 'u1'")
            .hasMessageContaining("'order placed' for 'u2' {total=7}");
        assertThatThrownBy(() -> assertThat(recorder).hasCaptured("signed up"))
            .hasMessageContaining("Expected an event 'signed up' to be captured, but captured 1 event(s)");
        assertThatThrownBy(() -> assertThat(recorder).hasCaptured("order placed").withProperty("total", 8))
            .hasMessageContaining("with total=8");
        assertThatThrownBy(() -> assertThat(recorder).hasCaptured("order placed").times(2))
            .hasMessageContaining("Expected 2 event(s) 'order placed', but 1 matched");
        assertThatThrownBy(() -> assertThat(recorder).hasNotCaptured("order placed"))
            .hasMessageContaining("Expected no event 'order placed'");
        assertThatThrownBy(() -> assertThat(recorder).hasCapturedNothing()).hasMessageContaining("Expected 0 events");
        assertThatThrownBy(() -> assertThat(new PosthogRecorder()).hasCaptured("x"))
            .hasMessageContaining("no event was captured");
    }

    @Test
    void whenAnExceptionWasCapturedShouldMatchItsTypeMessageAndCause() {
        capture("u1", "$exception",
                Map.of("$exception_list",
                        List.of(Map.of("type", "java.lang.IllegalStateException", "value", "payment declined"),
                                Map.of("type", "java.io.IOException", "value", "timeout"))));
        capture("u2", "$exception", Map.of("$exception_type", "NullPointerException", "$exception_message", "npe"));

        assertThat(recorder).hasCapturedException()
            .ofType(IllegalStateException.class)
            .withMessage("payment declined")
            .withCauseOfType(java.io.IOException.class)
            .forDistinctId("u1")
            .once();
        assertThat(recorder).hasCapturedException().ofType("IllegalStateException").once();
        assertThat(recorder).hasCapturedException().ofType(NullPointerException.class).withMessage("npe").once();
        assertThat(recorder.exceptions()).hasSize(2);
        assertThat(recorder.exceptions().get(0).exceptionList()).hasSize(2);
        assertThatThrownBy(() -> assertThat(recorder).hasCapturedException().ofType(IllegalArgumentException.class))
            .hasMessageContaining("of type java.lang.IllegalArgumentException");
        assertThatThrownBy(() -> assertThat(recorder).hasNotCapturedException())
            .hasMessageContaining("Expected no exception");
        assertThatThrownBy(() -> assertThat(new PosthogRecorder()).hasCapturedException())
            .hasMessageContaining("Expected an exception ($exception event) to be captured");
    }

    @Test
    void whenFlagsWereCalledShouldMatchKeyDistinctIdValueAndMethod() {
        recorder.record(new FlagCall("isFeatureEnabled", "beta", "u1", true, FlagOptions.none()));
        recorder.record(new FlagCall("getFeatureFlag", "beta", "u2", null, FlagOptions.none()));

        assertThat(recorder).hasCalledFlag("beta").times(2);
        assertThat(recorder).hasCalledFlag("beta")
            .forDistinctId("u1")
            .answered(true)
            .through("isFeatureEnabled")
            .once();
        assertThat(recorder).hasNotCalledFlag("other");
        assertThatThrownBy(() -> assertThat(recorder).hasCalledFlag("beta").forDistinctId("u3"))
            .hasMessageContaining("Expected a call of flag 'beta' for distinct id 'u3'")
            .hasMessageContaining("getFeatureFlag('beta', 'u2') = null");
        assertThatThrownBy(() -> assertThat(recorder).hasCalledFlag("other"))
            .hasMessageContaining("Expected feature flag 'other' to be called, but 2 flag call(s) were made");
        assertThatThrownBy(() -> assertThat(recorder).hasNotCalledFlag("beta"))
            .hasMessageContaining("Expected feature flag 'beta' not to be called");
    }

    @Test
    void whenFixedFlagsAreMisusedShouldSayWhatToDo() {
        assertThatIllegalArgumentException().isThrownBy(() -> recorder.flags().set("beta", 3))
            .withMessageContaining("Flag 'beta' needs true, false or a variant name, not 3");
        assertThatIllegalArgumentException().isThrownBy(() -> recorder.flags().set("beta", null))
            .withMessageContaining("call remove(\"beta\")");
        assertThatIllegalArgumentException().isThrownBy(() -> recorder.flags().set(" ", true))
            .withMessageContaining("key must not be null or blank");
        assertThatIllegalArgumentException().isThrownBy(() -> recorder.flags().setFor(null, "beta", true))
            .withMessageContaining("setFor needs a distinct id");
    }

    @Test
    void whenResetShouldForgetEventsCallsAndFlags() {
        capture("u1", "e", Map.of());
        recorder.record(new FlagCall("isFeatureEnabled", "beta", "u1", true, FlagOptions.none()));
        recorder.flags().set("beta", true);
        recorder.reset();
        assertThat(recorder).hasCapturedNothing();
        assertThat(recorder.flagCalls()).isEmpty();
        assertThat(recorder.flags().get("beta", "u1")).isNull();
    }

}
