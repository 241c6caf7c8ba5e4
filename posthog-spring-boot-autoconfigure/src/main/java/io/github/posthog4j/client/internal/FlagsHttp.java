package io.github.posthog4j.client.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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

    private final ExecutorService executor;
    /** The executor's threads, joined by close so that none outlives it. */
    private final java.util.List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final HttpClient httpClient;
    private final RestClient restClient;
    private final String userAgent = EventSerializer.LIB + "/" + EventSerializer.LIB_VERSION;

    FlagsHttp(ClientSettings settings, String threadPrefix) {
        java.util.concurrent.ThreadFactory named = RestClientTransport.daemonThreads(threadPrefix);
        // Never capture `this` here: the selector thread reaches the executor, and through `this` the HttpClient
        // facade would stay reachable, so that (on Java 17) the selector thread would never end.
        java.util.List<Thread> created = this.threads;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = named.newThread(r);
            created.removeIf(old -> !old.isAlive());
            created.add(t);
            return t;
        });
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(min(settings.connectTimeout(), settings.flags().requestTimeout()))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor);
        if (settings.host().regionMatches(true, 0, "http:", 0, 5)) {
            builder.version(HttpClient.Version.HTTP_1_1);
        }
        this.httpClient = builder.build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(httpClient);
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
        if (httpClient instanceof AutoCloseable closeable) {
            // Java 21+: ends the client's selector thread now instead of at garbage collection.
            try {
                closeable.close();
            }
            catch (Exception ignored) {
                // nothing to do
            }
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
            for (Thread t : threads) {
                t.join(1000);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
