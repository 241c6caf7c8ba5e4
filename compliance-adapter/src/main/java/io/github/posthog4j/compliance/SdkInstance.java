package io.github.posthog4j.compliance;

import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClientStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One SDK instance of the adapter (the global one, or one per harness {@code test_id}):
 * its client and the log of the requests that client made.
 *
 * @param testId the test id, empty for the global instance
 * @param upstreamHost where the relay forwards this instance's requests (the host given
 * to {@code /init}), or null when the client talks to the host directly
 * @param client the client
 * @param log the requests the client made
 */
record SdkInstance(String testId, @Nullable String upstreamHost, ManagedPosthogClient client, RequestLog log) {

    /**
     * @return the {@code GET /state} answer: the client's counters and the request log
     */
    Map<String, @Nullable Object> state() {
        PosthogClientStatus status = client.status();
        Map<String, @Nullable Object> state = new LinkedHashMap<>();
        state.put("pending_events", status.queueSize());
        state.put("total_events_captured", status.captured());
        state.put("total_events_sent", status.sent());
        state.put("total_retries", status.retries());
        state.put("last_error", status.lastError());
        state.put("requests_made", log.requests());
        return state;
    }

    /**
     * @return the {@code GET /state} answer of a test id without instance (never
     * initialised, or reset): zeros and no requests, as the contract's schema requires
     */
    static Map<String, @Nullable Object> emptyState() {
        Map<String, @Nullable Object> state = new LinkedHashMap<>();
        state.put("pending_events", 0);
        state.put("total_events_captured", 0);
        state.put("total_events_sent", 0);
        state.put("total_retries", 0);
        state.put("last_error", null);
        state.put("requests_made", List.of());
        return state;
    }

    /**
     * Closes the client (it delivers what it still holds within its shutdown timeout).
     */
    void close() {
        client.close();
    }

}
