package io.github.posthog4j.compliance;

import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClientListener;
import io.github.posthog4j.client.PosthogClientStatus;
import io.github.posthog4j.client.RequestReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One SDK instance of the adapter (the global one, or one per harness {@code test_id}): a
 * client and the log of the HTTP requests it made, recorded through the client's public
 * {@link PosthogClientListener}.
 */
final class SdkInstance implements PosthogClientListener {

    private final List<Map<String, Object>> requests = new ArrayList<>();

    /**
     * Where the relay forwards this instance's requests (the host given to /init), or
     * null without relay.
     */
    final String upstreamHost;

    final String testId;

    private volatile ManagedPosthogClient client;

    SdkInstance(String testId, String upstreamHost) {
        this.testId = testId;
        this.upstreamHost = upstreamHost;
    }

    void attach(ManagedPosthogClient client) {
        this.client = client;
    }

    ManagedPosthogClient client() {
        return client;
    }

    @Override
    public void onRequest(RequestReport report) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("timestamp_ms", System.currentTimeMillis());
        entry.put("status_code", report.statusCode());
        entry.put("retry_attempt", Math.max(0, report.attempt() - 1));
        entry.put("event_count", report.eventCount());
        entry.put("uuid_list", List.copyOf(report.uuids()));
        entry.put("endpoint", report.endpoint());
        entry.put("outcome", report.outcome().tag());
        if (report.error() != null) {
            entry.put("error", report.error());
        }
        synchronized (requests) {
            requests.add(entry);
        }
    }

    Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        ManagedPosthogClient c = client;
        PosthogClientStatus status = (c != null) ? c.status() : null;
        state.put("pending_events", (status != null) ? status.queueSize() : 0);
        state.put("total_events_captured", (status != null) ? status.captured() : 0);
        state.put("total_events_sent", (status != null) ? status.sent() : 0);
        state.put("total_retries", (status != null) ? status.retries() : 0);
        state.put("last_error", (status != null) ? status.lastError() : null);
        synchronized (requests) {
            state.put("requests_made", new ArrayList<>(requests));
        }
        return state;
    }

    void close() {
        ManagedPosthogClient c = client;
        if (c != null) {
            c.close();
        }
    }

}
