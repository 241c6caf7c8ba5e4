package io.github.posthog4j.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * A {@link Transport} on spring-web's {@link RestClient} over the JDK {@link HttpClient}. Each instance owns
 * its HTTP client and executor (daemon threads named {@code posthog-http-N}); {@link #close()} releases both.
 */
final class RestClientTransport implements Transport {

    private static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private static final WarnLimiter HTML_WARNING = new WarnLimiter(
            org.apache.commons.logging.LogFactory.getLog("io.github.posthog4j.client.PosthogClient"),
            java.util.concurrent.TimeUnit.MINUTES.toNanos(1));

    private final String host;
    private final HttpClient httpClient;
    private final ExecutorService executor;
    private final RestClient restClient;
    /** Every executor thread ever created, so that close() returns only once they have ended. */
    private final java.util.List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

    RestClientTransport(ClientSettings settings, String threadPrefix) {
        this(settings, threadPrefix, settings.requestTimeout());
    }

    /**
     * @param settings the client settings
     * @param threadPrefix the executor threads' name prefix
     * @param requestTimeout the whole-request timeout (a drain bounded by a deadline passes what is left)
     */
    RestClientTransport(ClientSettings settings, String threadPrefix, java.time.Duration requestTimeout) {
        this.host = settings.host();
        ThreadFactory named = daemonThreads(threadPrefix);
        // The factory must not capture `this`: the HTTP client's selector thread reaches the executor, and through
        // `this` the client facade would stay reachable and (on Java 17) its selector thread would never end.
        java.util.List<Thread> created = this.threads;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = named.newThread(r);
            created.add(t);
            return t;
        });
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor);
        if (host.regionMatches(true, 0, "http:", 0, 5)) {
            // No h2c upgrade dance on plain HTTP: proxies and simple servers handle it badly.
            builder.version(HttpClient.Version.HTTP_1_1);
        }
        this.httpClient = builder.build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(httpClient);
        factory.setReadTimeout(requestTimeout);
        this.restClient = RestClient.builder().requestFactory(factory).build();
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(null);
            return t;
        };
    }

    @Override
    public HttpResult post(String path, byte[] body, boolean gzip) {
        try {
            return restClient.post()
                    .uri(host + path)
                    .contentType(MediaType.APPLICATION_JSON)
                    .headers(h -> {
                        h.set("User-Agent", EventSerializer.LIB + "/" + EventSerializer.LIB_VERSION);
                        if (gzip) {
                            h.set("Content-Encoding", "gzip");
                        }
                    })
                    .body(body)
                    .exchange((request, response) -> {
                        int status = response.getStatusCode().value();
                        String retryAfter = response.getHeaders().getFirst("Retry-After");
                        MediaType type = response.getHeaders().getContentType();
                        if (status >= 200 && status < 300 && type != null && "html".equalsIgnoreCase(type.getSubtype())) {
                            HTML_WARNING.warn("PostHog at " + host + " answered " + status + " with an HTML page, not "
                                    + "JSON: a proxy or captive portal may be taking the events. They are counted as "
                                    + "sent (any 2xx is success); check posthog.host.");
                        }
                        discard(response.getBody());
                        return new HttpResult(status, retryAfter, null);
                    });
        }
        catch (RuntimeException ex) {
            Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
            return new HttpResult(0, null, cause.getClass().getSimpleName()
                    + ((cause.getMessage() != null) ? ": " + cause.getMessage() : ""));
        }
    }

    private static void discard(InputStream in) throws IOException {
        if (in == null) {
            return;
        }
        byte[] scratch = new byte[8192];
        int total = 0;
        int n;
        while (total < MAX_RESPONSE_BYTES && (n = in.read(scratch)) >= 0) {
            total += n;
        }
    }

    @Override
    public void close() {
        if (httpClient instanceof AutoCloseable closeable) {
            // Java 21+: HttpClient.close() ends its selector thread at once.
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
                t.join(1000); // terminated pools can still have threads unwinding for a moment
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
