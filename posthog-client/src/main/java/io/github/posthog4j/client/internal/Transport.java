package io.github.posthog4j.client.internal;

import java.io.Closeable;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Sends request bodies to PostHog. Implementations must be thread-safe and never throw
 * from {@link #post}.
 */
interface Transport extends Closeable {

    /**
     * POSTs a body.
     * @param path the path after the host, e.g. {@code /batch/}
     * @param body the body
     * @param headers the request headers (content type and encoding included)
     * @param maxResponseBytes the most response bytes read
     * @return the outcome
     */
    HttpResult post(String path, byte[] body, Map<String, String> headers, int maxResponseBytes);

    @Override
    void close();

    /**
     * What came back.
     *
     * @param status the HTTP status, 0 when no response arrived
     * @param retryAfter the {@code Retry-After} header, or null
     * @param error a description of the I/O failure, or null
     * @param body the response body (at most the limit asked for), or null
     */
    record HttpResult(int status, @Nullable String retryAfter, @Nullable String error, byte @Nullable [] body) {
    }

}
