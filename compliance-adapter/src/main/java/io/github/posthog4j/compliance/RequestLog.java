package io.github.posthog4j.compliance;

import io.github.posthog4j.client.PosthogClientListener;
import io.github.posthog4j.client.RequestReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP requests one SDK instance's client made, recorded through the client's public
 * {@link PosthogClientListener} hook, as the {@code requests_made} of {@code GET /state}:
 * {@code timestamp_ms}, {@code status_code}, {@code retry_attempt} (attempt - 1),
 * {@code event_count}, {@code uuid_list}, plus {@code endpoint}, {@code outcome} and
 * {@code error} when there is one.
 */
final class RequestLog implements PosthogClientListener {

    private final List<Map<String, Object>> requests = new ArrayList<>();

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

    /**
     * @return the requests so far, oldest first
     */
    List<Map<String, Object>> requests() {
        synchronized (requests) {
            return new ArrayList<>(requests);
        }
    }

}
