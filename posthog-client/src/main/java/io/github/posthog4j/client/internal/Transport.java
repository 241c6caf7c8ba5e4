package io.github.posthog4j.client.internal;

import java.io.Closeable;

/**
 * Sends request bodies to PostHog. Implementations must be thread-safe and never throw
 * from {@link #post}.
 */
interface Transport extends Closeable {

    /**
     * POSTs a body.
     * @param path the path after the host, e.g. {@code /batch/}
     * @param body the body
     * @param gzip whether the body is gzip-compressed
     * @return the outcome
     */
    HttpResult post(String path, byte[] body, boolean gzip);

    @Override
    void close();

    /**
     * What came back.
     *
     * @param status the HTTP status, 0 when no response arrived
     * @param retryAfter the {@code Retry-After} header, or null
     * @param error a description of the I/O failure, or null
     */
    record HttpResult(int status, String retryAfter, String error) {
    }

}
