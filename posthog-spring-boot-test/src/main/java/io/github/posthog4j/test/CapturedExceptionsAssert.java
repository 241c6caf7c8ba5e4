package io.github.posthog4j.test;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on the captured {@code $exception} events; see
 * {@link PosthogRecorderAssert#hasCapturedException()}. The exception's type and message
 * are read from {@code $exception_list} (first entry: the caught exception; later
 * entries: its causes), or from {@code $exception_type} and {@code $exception_message}. A
 * type matches by its fully qualified or its simple name.
 */
public final class CapturedExceptionsAssert extends AbstractEventsAssert<CapturedExceptionsAssert> {

    CapturedExceptionsAssert(List<RecordedEvent> actual, String matched, List<RecordedEvent> all) {
        super(actual, matched, all, CapturedExceptionsAssert.class);
    }

    @Override
    CapturedExceptionsAssert narrowed(List<RecordedEvent> events, String matched) {
        return new CapturedExceptionsAssert(events, matched, all());
    }

    /**
     * Keeps the exceptions whose caught exception has this type.
     * @param type the exception class
     * @return an assertion on the remaining events
     */
    public CapturedExceptionsAssert ofType(Class<? extends Throwable> type) {
        return filter((e) -> typeMatches(caughtType(e), type.getName()), "of type " + type.getName());
    }

    /**
     * Keeps the exceptions whose caught exception has this type.
     * @param type the fully qualified or simple type name
     * @return an assertion on the remaining events
     */
    public CapturedExceptionsAssert ofType(String type) {
        return filter((e) -> typeMatches(caughtType(e), type), "of type " + type);
    }

    /**
     * Keeps the exceptions whose caught exception has this message.
     * @param message the message
     * @return an assertion on the remaining events
     */
    public CapturedExceptionsAssert withMessage(String message) {
        return filter((e) -> Objects.equals(message, caughtMessage(e)), "with message '" + message + "'");
    }

    /**
     * Keeps the exceptions that have a cause (a later entry of {@code $exception_list})
     * of this type.
     * @param type the cause's class
     * @return an assertion on the remaining events
     */
    public CapturedExceptionsAssert withCauseOfType(Class<? extends Throwable> type) {
        return filter(
                (e) -> e.exceptionList()
                    .stream()
                    .skip(1)
                    .anyMatch((x) -> typeMatches(String.valueOf(x.get("type")), type.getName())),
                "with a cause of type " + type.getName());
    }

    private static @Nullable String caughtType(RecordedEvent e) {
        List<Map<String, Object>> list = e.exceptionList();
        if (!list.isEmpty() && list.get(0).get("type") != null) {
            return String.valueOf(list.get(0).get("type"));
        }
        Object type = e.property("$exception_type");
        return (type != null) ? type.toString() : null;
    }

    private static @Nullable String caughtMessage(RecordedEvent e) {
        List<Map<String, Object>> list = e.exceptionList();
        if (!list.isEmpty() && list.get(0).containsKey("value")) {
            return (String) list.get(0).get("value");
        }
        Object message = e.property("$exception_message");
        return (message != null) ? message.toString() : null;
    }

    static boolean typeMatches(@Nullable String actual, @Nullable String expected) {
        if (actual == null || expected == null) {
            return false;
        }
        String simple = expected.substring(expected.lastIndexOf('.') + 1).replace('$', '.');
        return actual.equals(expected) || actual.equals(simple) || actual.endsWith("." + simple)
                || actual.replace('$', '.').equals(expected.replace('$', '.'));
    }

}
