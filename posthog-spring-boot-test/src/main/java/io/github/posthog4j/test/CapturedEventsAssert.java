package io.github.posthog4j.test;

import java.util.List;

/**
 * Assertions on the captured events of one name; see
 * {@link PosthogRecorderAssert#hasCaptured(String)}.
 */
public final class CapturedEventsAssert extends AbstractEventsAssert<CapturedEventsAssert> {

    CapturedEventsAssert(List<RecordedEvent> actual, String matched, List<RecordedEvent> all) {
        super(actual, matched, all, CapturedEventsAssert.class);
    }

    @Override
    CapturedEventsAssert narrowed(List<RecordedEvent> events, String matched) {
        return new CapturedEventsAssert(events, matched, all());
    }

}
