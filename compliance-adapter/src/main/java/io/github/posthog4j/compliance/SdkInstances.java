package io.github.posthog4j.compliance;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The adapter's SDK instances by test id; the empty id is the global instance of
 * sequential runs.
 */
@Component
class SdkInstances implements DisposableBean {

    static final String GLOBAL = "";

    private final ConcurrentMap<String, SdkInstance> instances = new ConcurrentHashMap<>();

    SdkInstance get(String testId) {
        return instances.get(testId);
    }

    /** Installs a fresh instance, closing the one it replaces. */
    void put(String testId, SdkInstance instance) {
        SdkInstance previous = instances.put(testId, instance);
        if (previous != null) {
            previous.close();
        }
    }

    /** Closes and forgets an instance. */
    void remove(String testId) {
        SdkInstance previous = instances.remove(testId);
        if (previous != null) {
            previous.close();
        }
    }

    @Override
    public void destroy() {
        instances.keySet().forEach(this::remove);
    }

}
