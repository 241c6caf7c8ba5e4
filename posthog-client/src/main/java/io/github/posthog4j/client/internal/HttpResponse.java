package io.github.posthog4j.client.internal;

import org.jspecify.annotations.Nullable;

/**
 * What one HTTP request to PostHog came back with. Internal API.
 *
 * @param status the HTTP status, 0 when no response arrived
 * @param body the body (at most the limit the caller gave), or null when there was none
 * or it was too large
 * @param contentType the {@code Content-Type} header, or null
 * @param retryAfter the {@code Retry-After} header, or null
 * @param etag the {@code ETag} header, or null
 * @param error a description of the I/O failure, or null
 * @param timeout whether the failure was a timeout
 * @param tooLarge whether the body exceeded the limit
 */
public record HttpResponse(int status, byte @Nullable [] body, @Nullable String contentType,
        @Nullable String retryAfter, @Nullable String etag, @Nullable String error, boolean timeout, boolean tooLarge) {

    /**
     * A request that got no response.
     * @param error what went wrong
     * @param timeout whether it was a timeout
     * @return the response
     */
    public static HttpResponse failed(String error, boolean timeout) {
        return new HttpResponse(0, null, null, null, null, error, timeout, false);
    }

    /**
     * @return whether the status is 2xx
     */
    public boolean isSuccess() {
        return this.status >= 200 && this.status < 300;
    }

}
