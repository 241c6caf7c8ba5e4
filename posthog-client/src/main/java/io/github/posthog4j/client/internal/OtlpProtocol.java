package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.LogsConfig;
import io.github.posthog4j.client.TracesConfig;
import io.github.posthog4j.client.internal.otlp.OtlpEnvelope;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * OpenTelemetry over HTTP with JSON bodies, as PostHog's logs and traces routes take it:
 * one resource and one scope around the batch's records ({@link OtlpEnvelope}),
 * {@code Content-Type: application/json}, gzip with {@code Content-Encoding: gzip} (raw
 * JSON when compression is off). Logs authenticate with the {@code ?token=} query
 * parameter (the logs specification's transport); traces with
 * {@code Authorization: Bearer} (the traces specification's primary method). Any 2xx is
 * success; 408, 429, 5xx and I/O errors are retried ({@code Retry-After} honoured); other
 * statuses reject the batch (a poison batch or a bad key must not block the queue). The
 * token never appears in a log or a report: requests are reported by pipeline, not URL.
 */
final class OtlpProtocol implements WireProtocol {

    /** The logs route. */
    static final String LOGS_PATH = "/i/v1/logs";

    /** The traces route. */
    static final String TRACES_PATH = "/i/v1/traces";

    private final String path;

    private final @Nullable String authorization;

    private final EventSerializer serializer;

    private final byte[] prefix;

    private final byte[] suffix = OtlpEnvelope.suffix();

    private OtlpProtocol(String path, @Nullable String authorization, EventSerializer serializer, byte[] prefix) {
        this.path = path;
        this.authorization = authorization;
        this.serializer = serializer;
        this.prefix = prefix;
    }

    /**
     * @param s the settings
     * @param serializer the thread's serializer (and buffer)
     * @return the logs protocol: {@code POST /i/v1/logs?token=<key>}
     */
    static OtlpProtocol logs(ClientSettings s, EventSerializer serializer) {
        LogsConfig logs = s.logs();
        String token = URLEncoder.encode(s.apiKey(), StandardCharsets.UTF_8);
        return new OtlpProtocol(LOGS_PATH + "?token=" + token, null, serializer, OtlpEnvelope
            .prefix(OtlpEnvelope.Signal.LOGS, logs.service(), EventSerializer.LIB, EventSerializer.LIB_VERSION));
    }

    /**
     * @param s the settings
     * @param serializer the thread's serializer (and buffer)
     * @return the traces protocol: {@code POST /i/v1/traces} with a bearer token
     */
    static OtlpProtocol traces(ClientSettings s, EventSerializer serializer) {
        TracesConfig traces = (s.traces() != null) ? s.traces() : TracesConfig.defaults();
        return new OtlpProtocol(TRACES_PATH, "Bearer " + s.apiKey(), serializer, OtlpEnvelope
            .prefix(OtlpEnvelope.Signal.TRACES, traces.service(), EventSerializer.LIB, EventSerializer.LIB_VERSION));
    }

    @Override
    public String path() {
        return this.path;
    }

    @Override
    public int envelopeOverhead() {
        return this.prefix.length + this.suffix.length;
    }

    @Override
    public byte[] body(Batch b, ContentEncoding encoding) {
        return this.serializer.body(this.prefix, b.events, (e) -> e.json, this.suffix, encoding);
    }

    @Override
    public Map<String, String> headers(Batch b, ContentEncoding encoding) {
        Map<String, String> headers = new LinkedHashMap<>(4);
        headers.put("Content-Type", "application/json");
        if (encoding.header() != null) {
            headers.put("Content-Encoding", encoding.header());
        }
        if (this.authorization != null) {
            headers.put("Authorization", this.authorization);
        }
        return headers;
    }

    @Override
    public String toString() {
        // the path of the logs route carries the key
        return "OtlpProtocol[" + (this.path.startsWith(LOGS_PATH) ? LOGS_PATH : this.path) + "]";
    }

}
