package io.github.posthog4j.test;

import io.github.posthog4j.client.PosthogEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the application sent to PostHog during a test: every event the auto-configured
 * client accepted (in capture order), every feature flag call, and the fixed flag values
 * those calls are answered with. Provided as a bean by {@link AutoConfigurePosthog};
 * assert on it with {@link PosthogAssertions#assertThat(PosthogRecorder)}.
 *
 * <p>
 * Events are recorded synchronously on the capturing thread, so an event captured by the
 * code under test is visible as soon as that code returns; for code that captures on
 * other threads, wait for the event (for example with Awaitility). Thread-safe. One
 * recorder per application context; it is emptied after each test method.
 */
public final class PosthogRecorder {

    private final List<RecordedEvent> events = new CopyOnWriteArrayList<>();

    private final List<FlagCall> flagCalls = new CopyOnWriteArrayList<>();

    private final FixedFlags flags = new FixedFlags();

    /**
     * @return every recorded event, in capture order (a copy)
     */
    public List<RecordedEvent> events() {
        return List.copyOf(events);
    }

    /**
     * @param event an event name
     * @return the recorded events of that name, in capture order
     */
    public List<RecordedEvent> events(String event) {
        return events.stream().filter((e) -> e.event().equals(event)).toList();
    }

    /**
     * @return the recorded {@code $exception} events, in capture order
     */
    public List<RecordedEvent> exceptions() {
        return events(RecordedEvent.EXCEPTION);
    }

    /**
     * @return every feature flag call, in call order (a copy)
     */
    public List<FlagCall> flagCalls() {
        return List.copyOf(flagCalls);
    }

    /**
     * @return the fixed feature flag values the client answers with
     */
    public FixedFlags flags() {
        return flags;
    }

    /** Forgets every event and flag call, and every fixed flag value. */
    public void reset() {
        events.clear();
        flagCalls.clear();
        flags.clear();
    }

    void record(PosthogEvent event) {
        events.add(new RecordedEvent(event.event(), event.distinctId(), event.properties(), event.timestamp(),
                event.uuid()));
    }

    void record(FlagCall call) {
        flagCalls.add(call);
    }

    @Override
    public String toString() {
        return "PosthogRecorder[events=" + events.size() + ", flagCalls=" + flagCalls.size() + "]";
    }

}
