package io.github.posthog4j.compliance;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * The adapter's SDK instances by test id. The test id of an adapter call is its
 * {@code test_id} query parameter (what the harness sends in parallel mode), else its
 * {@code X-Test-Id} header, else {@link #GLOBAL}, the instance of sequential runs.
 */
final class SdkInstances implements AutoCloseable {

    static final String GLOBAL = "";

    private final ConcurrentMap<String, SdkInstance> instances = new ConcurrentHashMap<>();

    /**
     * @param queryTestId the {@code test_id} query parameter, or null
     * @param headerTestId the {@code X-Test-Id} header, or null
     * @return the test id of an adapter call
     */
    static String testId(@Nullable String queryTestId, @Nullable String headerTestId) {
        if (queryTestId != null && !queryTestId.isBlank()) {
            return queryTestId;
        }
        if (headerTestId != null && !headerTestId.isBlank()) {
            return headerTestId;
        }
        return GLOBAL;
    }

    /**
     * @param testId a test id
     * @return its instance, or null when there is none
     */
    @Nullable SdkInstance get(String testId) {
        return instances.get(testId);
    }

    /**
     * Installs a fresh instance, closing the one it replaces (whose last requests go
     * through the relay to the new instance's host).
     * @param instance the new instance
     */
    void put(SdkInstance instance) {
        SdkInstance previous = instances.put(instance.testId(), instance);
        if (previous != null) {
            previous.close();
        }
    }

    /**
     * Closes an instance, then forgets it: while its client delivers what it still holds,
     * the relay still finds where to forward (the global instance of sequential runs
     * talks to its host directly and delivers the same way).
     * @param testId its test id
     */
    void remove(String testId) {
        SdkInstance instance = instances.get(testId);
        if (instance != null) {
            instance.close();
            instances.remove(testId, instance);
        }
    }

    /** Closes and forgets every instance. */
    @Override
    public void close() {
        instances.keySet().forEach(this::remove);
    }

}
