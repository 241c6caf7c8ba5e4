package io.github.posthog4j.client.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The batch {@link Transport}: POSTs to PostHog through {@link PosthogHttp}. Each
 * instance owns its HTTP client and executor; {@link #close()} releases both.
 */
final class HttpTransport implements Transport {

    private static final WarnLimiter HTML_WARNING = new WarnLimiter(Log.CLIENT, TimeUnit.MINUTES.toNanos(1));

    private final String host;

    private final PosthogHttp http;

    private final Duration requestTimeout;

    HttpTransport(ClientSettings settings, String threadPrefix) {
        this(settings, threadPrefix, settings.requestTimeout());
    }

    /**
     * @param settings the client settings
     * @param threadPrefix the executor threads' name prefix
     * @param requestTimeout the whole-request timeout (a drain bounded by a deadline
     * passes what is left)
     */
    HttpTransport(ClientSettings settings, String threadPrefix, Duration requestTimeout) {
        this.host = settings.host();
        this.http = new PosthogHttp(threadPrefix, settings.connectTimeout(), this.host);
        this.requestTimeout = requestTimeout;
    }

    @Override
    public HttpResult post(String path, byte[] body, Map<String, String> headers, int maxResponseBytes) {
        HttpResponse response = this.http.post(this.host + path, body, headers, this.requestTimeout, maxResponseBytes);
        if (response.status() == 0) {
            return new HttpResult(0, null, response.error(), null);
        }
        String type = response.contentType();
        if (response.isSuccess() && type != null && type.toLowerCase(java.util.Locale.ROOT).contains("html")) {
            HTML_WARNING.warn("PostHog at " + this.host + " answered " + response.status() + " with an HTML page, "
                    + "not JSON: a proxy or captive portal may be taking the events. They are counted as sent (any "
                    + "2xx is success); check posthog.host.");
        }
        return new HttpResult(response.status(), response.retryAfter(), null, response.body());
    }

    @Override
    public void close() {
        this.http.close();
    }

}
