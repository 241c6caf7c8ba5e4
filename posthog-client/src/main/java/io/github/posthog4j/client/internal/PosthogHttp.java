package io.github.posthog4j.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The one HTTP helper of the client, shared by batch delivery, {@code /flags} and the
 * flag definitions loader: the JDK {@link HttpClient} on an executor of its own
 * ({@link OwnedHttpClient}), bounded response reads, and failures returned as values.
 * Never throws from a request. {@link #close()} ends every thread it started. Internal
 * API.
 */
public final class PosthogHttp implements AutoCloseable {

    /** The {@code User-Agent} of every request. */
    public static final String USER_AGENT = EventSerializer.LIB + "/" + EventSerializer.LIB_VERSION;

    private final OwnedHttpClient http;

    /**
     * Creates a client.
     * @param threadPrefix the executor threads' name prefix, e.g. {@code posthog-http-}
     * @param connectTimeout the TCP connect timeout
     * @param host the base URL (plain http gets HTTP/1.1)
     */
    public PosthogHttp(String threadPrefix, Duration connectTimeout, String host) {
        this.http = new OwnedHttpClient(threadPrefix, connectTimeout, host);
    }

    /**
     * POSTs a body.
     * @param url the absolute URL
     * @param body the body
     * @param headers request headers (content type included)
     * @param timeout the whole-request timeout
     * @param maxResponseBytes the most response bytes read; more marks the response too
     * large
     * @return the response
     */
    public HttpResponse post(String url, byte[] body, Map<String, String> headers, Duration timeout,
            int maxResponseBytes) {
        return send(request(url, headers, timeout).POST(HttpRequest.BodyPublishers.ofByteArray(body)),
                maxResponseBytes);
    }

    /**
     * GETs a resource.
     * @param url the absolute URL
     * @param headers request headers
     * @param timeout the whole-request timeout
     * @param maxResponseBytes the most response bytes read; more marks the response too
     * large
     * @return the response
     */
    public HttpResponse get(String url, Map<String, String> headers, Duration timeout, int maxResponseBytes) {
        return send(request(url, headers, timeout).GET(), maxResponseBytes);
    }

    private static HttpRequest.Builder request(String url, Map<String, String> headers, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
        builder.header("User-Agent", USER_AGENT);
        headers.forEach(builder::header);
        return builder;
    }

    private HttpResponse send(HttpRequest.Builder builder, int maxResponseBytes) {
        try {
            java.net.http.HttpResponse<InputStream> response = this.http.client()
                .send(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            var headers = response.headers();
            try (InputStream in = response.body()) {
                byte[] bytes = in.readNBytes(maxResponseBytes + 1);
                boolean tooLarge = bytes.length > maxResponseBytes;
                return new HttpResponse(response.statusCode(), tooLarge ? null : bytes,
                        headers.firstValue("Content-Type").orElse(null), headers.firstValue("Retry-After").orElse(null),
                        headers.firstValue("ETag").orElse(null),
                        tooLarge ? "response larger than " + maxResponseBytes + " bytes" : null, false, tooLarge);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return HttpResponse.failed("InterruptedException", false);
        }
        catch (IOException | UncheckedIOException | IllegalArgumentException | SecurityException ex) {
            Throwable cause = rootIoCause(ex);
            boolean timeout = cause instanceof HttpTimeoutException;
            return HttpResponse.failed(describe(cause), timeout);
        }
    }

    private static Throwable rootIoCause(Throwable ex) {
        Throwable cause = ex;
        while (cause.getCause() != null && cause.getCause() != cause && !(cause instanceof HttpTimeoutException)
                && (cause instanceof UncheckedIOException || cause.getMessage() == null)) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String describe(Throwable cause) {
        @Nullable String message = cause.getMessage();
        return cause.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
    }

    @Override
    public void close() {
        this.http.close();
    }

}
