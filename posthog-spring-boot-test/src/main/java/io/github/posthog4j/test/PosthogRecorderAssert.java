package io.github.posthog4j.test;

import java.util.List;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link PosthogRecorder}; start with
 * {@link PosthogAssertions#assertThat(PosthogRecorder)}.
 */
public class PosthogRecorderAssert extends AbstractAssert<PosthogRecorderAssert, PosthogRecorder> {

    PosthogRecorderAssert(PosthogRecorder actual) {
        super(actual, PosthogRecorderAssert.class);
    }

    /**
     * Verifies that at least one event of this name was captured.
     * @param event the event name
     * @return an assertion on those events, to narrow further
     */
    public CapturedEventsAssert hasCaptured(String event) {
        isNotNull();
        List<RecordedEvent> matching = actual.events(event);
        if (matching.isEmpty()) {
            failWithMessage("Expected an event '%s' to be captured, but %s", event, Describe.events(actual.events()));
        }
        return new CapturedEventsAssert(matching, "'" + event + "'", actual.events());
    }

    /**
     * Verifies that no event of this name was captured.
     * @param event the event name
     * @return this assertion
     */
    public PosthogRecorderAssert hasNotCaptured(String event) {
        isNotNull();
        List<RecordedEvent> matching = actual.events(event);
        if (!matching.isEmpty()) {
            failWithMessage("Expected no event '%s' to be captured, but %s", event, Describe.events(matching));
        }
        return this;
    }

    /**
     * Verifies that exactly this many events were captured, whatever their name.
     * @param count the number of events
     * @return this assertion
     */
    public PosthogRecorderAssert hasCapturedEvents(int count) {
        isNotNull();
        List<RecordedEvent> events = actual.events();
        if (events.size() != count) {
            failWithMessage("Expected %d events to be captured, but %s", count, Describe.events(events));
        }
        return this;
    }

    /**
     * Verifies that no event was captured.
     * @return this assertion
     */
    public PosthogRecorderAssert hasCapturedNothing() {
        return hasCapturedEvents(0);
    }

    /**
     * Verifies that at least one {@code $exception} event was captured.
     * @return an assertion on those events, to narrow by type, message or distinct id
     */
    public CapturedExceptionsAssert hasCapturedException() {
        isNotNull();
        List<RecordedEvent> matching = actual.exceptions();
        if (matching.isEmpty()) {
            failWithMessage("Expected an exception ($exception event) to be captured, but %s",
                    Describe.events(actual.events()));
        }
        return new CapturedExceptionsAssert(matching, "'$exception'", actual.events());
    }

    /**
     * Verifies that no {@code $exception} event was captured.
     * @return this assertion
     */
    public PosthogRecorderAssert hasNotCapturedException() {
        isNotNull();
        if (!actual.exceptions().isEmpty()) {
            failWithMessage("Expected no exception to be captured, but %s", Describe.events(actual.exceptions()));
        }
        return this;
    }

    /**
     * Verifies that the application asked for this feature flag at least once
     * ({@code isFeatureEnabled}, {@code getFeatureFlag}, ..., or a read of an
     * {@code evaluateFlags} snapshot).
     * @param key the flag key
     * @return an assertion on those calls, to narrow further
     */
    public FlagCallsAssert hasCalledFlag(String key) {
        isNotNull();
        List<FlagCall> matching = actual.flagCalls().stream().filter((c) -> key.equals(c.key())).toList();
        if (matching.isEmpty()) {
            failWithMessage("Expected feature flag '%s' to be called, but %s", key, Describe.calls(actual.flagCalls()));
        }
        return new FlagCallsAssert(matching, "flag '" + key + "'", actual.flagCalls());
    }

    /**
     * Verifies that the application never asked for this feature flag.
     * @param key the flag key
     * @return this assertion
     */
    public PosthogRecorderAssert hasNotCalledFlag(String key) {
        isNotNull();
        List<FlagCall> matching = actual.flagCalls().stream().filter((c) -> key.equals(c.key())).toList();
        if (!matching.isEmpty()) {
            failWithMessage("Expected feature flag '%s' not to be called, but %s", key, Describe.calls(matching));
        }
        return this;
    }

}
