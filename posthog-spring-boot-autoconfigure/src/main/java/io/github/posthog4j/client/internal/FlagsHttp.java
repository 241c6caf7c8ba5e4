package io.github.posthog4j.client.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * The HTTP client of feature flags ({@code /flags} and the local-evaluation definitions), on spring-web's
 * {@link RestClient} over the JDK {@link HttpClient}, with the flags request timeout. Owns its executor (daemon
 * threads named by the given prefix); {@link #close()} releases it. Never throws from a request.
 */
final class FlagsHttp implements Closeable {

    /** Largest {@code /flags} response read. */
    static final int MAX_FLAGS_RESPONSE_BYTES = 4 * 1024 * 1024;

    private final OwnedHttpClient http;
    private final RestClient restClient;
    private final String userAgent = EventSerializer.LIB + "/" + EventSerializer.LIB_VERSION;

    FlagsHttp(ClientSettings settings, String threadPrefix) {
        this.http = new OwnedHttpClient(threadPrefix,
                min(settings.connectTimeout(), settings.flags().requestTimeout()), settings.host());
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http.client());
        factory.setReadTimeout(settings.flags().requestTimeout());
        this.restClient = RestClient.builder().requestFactory(factory).build();
    }

    private static java.time.Duration min(java.time.Duration a, java.time.Duration b) {
        return (a.compareTo(b) <= 0) ? a : b;
    }

    /**
     * What came back.
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
        try {
            return restClient.post()
                    .uri(java.net.URI.create(url))
                    .contentType(MediaType.APPLICATION_JSON)
                    .header("User-Agent", userAgent)
                    .body(body)
                    .exchange((request, response) -> read(response.getStatusCode().value(),
                            response.getHeaders().getETag(), response.getBody(), MAX_FLAGS_RESPONSE_BYTES));
        }
        catch (RuntimeException ex) {
            return failure(ex);
        }
    }

    Response get(String url, String bearer, String etag, int maxBytes) {
        try {
            return restClient.get()
                    .uri(java.net.URI.create(url))
                    .headers(h -> {
                        h.set("User-Agent", userAgent);
                        h.set("Accept", "application/json");
                        h.set("Authorization", "Bearer " + bearer);
                        if (etag != null) {
                            h.set("If-None-Match", etag);
                        }
                    })
                    .exchange((request, response) -> read(response.getStatusCode().value(),
                            response.getHeaders().getETag(), response.getBody(), maxBytes));
        }
        catch (RuntimeException ex) {
            return failure(ex);
        }
    }

    private static Response read(int status, String etag, InputStream in, int maxBytes) throws IOException {
        if (in == null) {
            return new Response(status, new byte[0], etag, null, false, false);
        }
        byte[] bytes = in.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            return new Response(status, null, etag, "response larger than " + maxBytes + " bytes", false, true);
        }
        return new Response(status, bytes, etag, null, false, false);
    }

    private static Response failure(RuntimeException ex) {
        Throwable cause = ex;
        while (cause.getCause() != null && cause.getCause() != cause
                && (cause instanceof RuntimeException || cause instanceof UncheckedIOException)) {
            cause = cause.getCause();
        }
        boolean timeout = cause instanceof HttpTimeoutException;
        String message = cause.getClass().getSimpleName() + ((cause.getMessage() != null) ? ": "
                + cause.getMessage() : "");
        return new Response(0, null, null, message, timeout, false);
    }

    @Override
    public void close() {
        http.close();
    }
}
