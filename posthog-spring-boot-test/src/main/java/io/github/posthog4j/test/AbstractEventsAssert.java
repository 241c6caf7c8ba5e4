package io.github.posthog4j.test;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on the captured events that matched so far; each filter narrows them and
 * fails when none is left.
 *
 * @param <SELF> the assertion type
 */
public abstract class AbstractEventsAssert<SELF extends AbstractEventsAssert<SELF>>
        extends AbstractAssert<SELF, List<RecordedEvent>> {

    private final String matched;

    private final List<RecordedEvent> all;

    AbstractEventsAssert(List<RecordedEvent> actual, String matched, List<RecordedEvent> all, Class<?> selfType) {
        super(actual, selfType);
        this.matched = matched;
        this.all = all;
    }

    abstract SELF narrowed(List<RecordedEvent> events, String matched);

    /**
     * Keeps the events captured for this distinct id.
     * @param distinctId the distinct id
     * @return an assertion on the remaining events
     */
    public SELF forDistinctId(@Nullable String distinctId) {
        return filter((e) -> Objects.equals(distinctId, e.distinctId()), "for distinct id '" + distinctId + "'");
    }

    /**
     * Keeps the events that have this property with this value (numbers compare by value,
     * so {@code 42} matches {@code 42L}).
     * @param name the property name
     * @param value the expected value
     * @return an assertion on the remaining events
     */
    public SELF withProperty(String name, @Nullable Object value) {
        return filter((e) -> e.properties().containsKey(name) && same(value, e.property(name)),
                "with " + name + "=" + value);
    }

    /**
     * Keeps the events that have this property, whatever its value.
     * @param name the property name
     * @return an assertion on the remaining events
     */
    public SELF withProperty(String name) {
        return filter((e) -> e.properties().containsKey(name), "with property " + name);
    }

    /**
     * Keeps the events that have all these properties with these values.
     * @param properties the expected properties (a subset of the event's)
     * @return an assertion on the remaining events
     */
    public SELF withProperties(Map<String, ?> properties) {
        return filter((e) -> properties.entrySet()
            .stream()
            .allMatch((p) -> e.properties().containsKey(p.getKey()) && same(p.getValue(), e.property(p.getKey()))),
                "with " + properties);
    }

    /**
     * Keeps the events that have none of this property.
     * @param name the property name
     * @return an assertion on the remaining events
     */
    public SELF withoutProperty(String name) {
        return filter((e) -> !e.properties().containsKey(name), "without property " + name);
    }

    /**
     * Keeps the events that match a condition.
     * @param description what the condition means, for the failure message
     * @param condition the condition
     * @return an assertion on the remaining events
     */
    public SELF matching(String description, Predicate<RecordedEvent> condition) {
        return filter(condition, description);
    }

    /**
     * Verifies that exactly one event matches.
     * @return this assertion
     */
    public SELF once() {
        return times(1);
    }

    /**
     * Verifies that exactly this many events match.
     * @param count the number of events
     * @return this assertion
     */
    public SELF times(int count) {
        if (actual.size() != count) {
            failWithMessage("Expected %d event(s) %s, but %d matched:%s%nAll %s", count, matched, actual.size(),
                    Describe.lines(actual), Describe.events(all));
        }
        return myself;
    }

    /**
     * Runs assertions on the single matching event.
     * @param requirements assertions on the event
     * @return this assertion
     */
    public SELF satisfies(Consumer<RecordedEvent> requirements) {
        once();
        requirements.accept(actual.get(0));
        return myself;
    }

    /**
     * @return the single matching event, for assertions of your own
     */
    public RecordedEvent single() {
        once();
        return actual.get(0);
    }

    /**
     * @return the matching events, in capture order
     */
    public List<RecordedEvent> events() {
        return List.copyOf(actual);
    }

    final SELF filter(Predicate<RecordedEvent> condition, String description) {
        List<RecordedEvent> left = actual.stream().filter(condition).toList();
        if (left.isEmpty()) {
            failWithMessage("Expected an event %s %s, but none of these matched:%s%nAll %s", matched, description,
                    Describe.lines(actual), Describe.events(all));
        }
        return narrowed(left, matched + " " + description);
    }

    static boolean same(@Nullable Object expected, @Nullable Object actual) {
        if (expected instanceof Number e && actual instanceof Number a) {
            if (isIntegral(e) && isIntegral(a)) {
                return e.longValue() == a.longValue();
            }
            return Double.compare(e.doubleValue(), a.doubleValue()) == 0;
        }
        return Objects.equals(expected, actual);
    }

    private static boolean isIntegral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
    }

    List<RecordedEvent> all() {
        return all;
    }

    String matched() {
        return matched;
    }

}
