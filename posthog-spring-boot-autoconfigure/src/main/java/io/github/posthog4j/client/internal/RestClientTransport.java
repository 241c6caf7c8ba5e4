package io.github.posthog4j.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.util.concurrent.TimeUnit;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * A {@link Transport} on spring-web's {@link RestClient} over the JDK {@link HttpClient}. Each instance owns
 * its HTTP client and executor ({@link OwnedHttpClient}); {@link #close()} releases both.
 */
final class RestClientTransport implements Transport {

    private static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private static final WarnLimiter HTML_WARNING = new WarnLimiter(
            org.apache.commons.logging.LogFactory.getLog("io.github.posthog4j.client.PosthogClient"),
            java.util.concurrent.TimeUnit.MINUTES.toNanos(1));

    private final String host;
    private final OwnedHttpClient http;
    private final RestClient restClient;

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
        this.http = new OwnedHttpClient(threadPrefix, settings.connectTimeout(), host);
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http.client());
        factory.setReadTimeout(requestTimeout);
        this.restClient = RestClient.builder().requestFactory(factory).build();
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
        http.close();
    }
}
