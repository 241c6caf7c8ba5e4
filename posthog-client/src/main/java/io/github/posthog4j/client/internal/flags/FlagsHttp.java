package io.github.posthog4j.client.internal.flags;

import io.github.posthog4j.client.internal.ClientSettings;
import io.github.posthog4j.client.internal.HttpResponse;
import io.github.posthog4j.client.internal.PosthogHttp;
import java.io.Closeable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP client of feature flags ({@code /flags} and the local-evaluation definitions),
 * on {@link PosthogHttp} with the flags request timeout. Owns its executor (daemon
 * threads named by the given prefix); {@link #close()} releases it. Never throws from a
 * request.
 */
final class FlagsHttp implements Closeable {

    /** Largest {@code /flags} response read. */
    static final int MAX_FLAGS_RESPONSE_BYTES = 4 * 1024 * 1024;

    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    private final PosthogHttp http;

    private final Duration timeout;

    FlagsHttp(ClientSettings settings, String threadPrefix) {
        this.timeout = settings.flags().requestTimeout();
        this.http = new PosthogHttp(threadPrefix, min(settings.connectTimeout(), this.timeout), settings.host());
    }

    private static Duration min(Duration a, Duration b) {
        return (a.compareTo(b) <= 0) ? a : b;
    }

    /**
     * What came back.
     *
     * @param status the HTTP status, 0 when no response arrived
     * @param body the body (at most the limit), or null
     * @param etag the {@code ETag} header, or null
     * @param error a description of the failure, or null
     * @param timeout whether the failure was a timeout
     * @param tooLarge whether the body exceeded the limit
     */
    record Response(int status, byte[] body, String etag, String error, boolean timeout, boolean tooLarge) {
    }

    Response postJson(String url, byte[] body) {
        return convert(this.http.post(url, body, JSON, this.timeout, MAX_FLAGS_RESPONSE_BYTES));
    }

    Response get(String url, String bearer, String etag, int maxBytes) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        headers.put("Authorization", "Bearer " + bearer);
        if (etag != null) {
            headers.put("If-None-Match", etag);
        }
        return convert(this.http.get(url, headers, this.timeout, maxBytes));
    }

    private static Response convert(HttpResponse r) {
        byte[] body = r.body();
        if (r.status() != 0 && body == null && !r.tooLarge()) {
            body = new byte[0];
        }
        return new Response(r.status(), body, r.etag(), r.error(), r.timeout(), r.tooLarge());
    }

    @Override
    public void close() {
        this.http.close();
    }

}
