package io.github.posthog4j.test;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on the calls of one feature flag; see
 * {@link PosthogRecorderAssert#hasCalledFlag(String)}.
 */
public final class FlagCallsAssert extends AbstractAssert<FlagCallsAssert, List<FlagCall>> {

    private final String matched;

    private final List<FlagCall> all;

    FlagCallsAssert(List<FlagCall> actual, String matched, List<FlagCall> all) {
        super(actual, FlagCallsAssert.class);
        this.matched = matched;
        this.all = all;
    }

    /**
     * Keeps the calls for this distinct id.
     * @param distinctId the distinct id
     * @return an assertion on the remaining calls
     */
    public FlagCallsAssert forDistinctId(String distinctId) {
        return filter((c) -> Objects.equals(distinctId, c.distinctId()), "for distinct id '" + distinctId + "'");
    }

    /**
     * Keeps the calls that answered this value.
     * @param value {@code Boolean}, a variant name or a payload
     * @return an assertion on the remaining calls
     */
    public FlagCallsAssert answered(@Nullable Object value) {
        return filter((c) -> Objects.equals(value, c.value()), "answering " + value);
    }

    /**
     * Keeps the calls made through this client method, e.g. {@code isFeatureEnabled} or
     * {@code evaluateFlags.isEnabled}.
     * @param method the method name
     * @return an assertion on the remaining calls
     */
    public FlagCallsAssert through(String method) {
        return filter((c) -> method.equals(c.method()), "through " + method);
    }

    /**
     * Verifies that exactly one call matches.
     * @return this assertion
     */
    public FlagCallsAssert once() {
        return times(1);
    }

    /**
     * Verifies that exactly this many calls match.
     * @param count the number of calls
     * @return this assertion
     */
    public FlagCallsAssert times(int count) {
        if (actual.size() != count) {
            failWithMessage("Expected %d call(s) of %s, but %d matched:%s%nAll: %s", count, matched, actual.size(),
                    Describe.lines(actual), Describe.calls(all));
        }
        return this;
    }

    private FlagCallsAssert filter(Predicate<FlagCall> condition, String description) {
        List<FlagCall> left = actual.stream().filter(condition).toList();
        if (left.isEmpty()) {
            failWithMessage("Expected a call of %s %s, but none of these matched:%s%nAll: %s", matched, description,
                    Describe.lines(actual), Describe.calls(all));
        }
        return new FlagCallsAssert(left, matched + " " + description, all);
    }

}
