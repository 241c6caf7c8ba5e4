package io.github.posthog4j.test;

import java.util.List;
import java.util.stream.Collectors;

/** Failure message parts: what was recorded, one per line. */
final class Describe {

    private static final int MAX = 20;

    private Describe() {
    }

    static String events(List<RecordedEvent> events) {
        if (events.isEmpty()) {
            return "no event was captured";
        }
        return "captured " + events.size() + " event(s):" + lines(events);
    }

    static String calls(List<FlagCall> calls) {
        if (calls.isEmpty()) {
            return "no feature flag was called";
        }
        return calls.size() + " flag call(s) were made:" + lines(calls);
    }

    static String lines(List<?> items) {
        String shown = items.stream().limit(MAX).map((i) -> "\n  " + i).collect(Collectors.joining());
        return shown + ((items.size() > MAX) ? "\n  ... and " + (items.size() - MAX) + " more" : "");
    }

}
