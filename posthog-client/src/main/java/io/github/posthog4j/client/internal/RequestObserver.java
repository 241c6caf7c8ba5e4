package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.RequestReport;

/**
 * Where the parts of the client report their HTTP requests (to the client's listeners).
 * Internal API.
 */
public interface RequestObserver {

    /**
     * Whether anybody listens: reports are only built when this is true.
     * @return whether to report
     */
    boolean active();

    /**
     * Reports one request attempt.
     * @param report the report
     */
    void report(RequestReport report);

}
