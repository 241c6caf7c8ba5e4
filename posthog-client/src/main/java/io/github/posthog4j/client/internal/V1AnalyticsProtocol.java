package io.github.posthog4j.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Capture v1: {@code POST /i/v1/analytics/events}.
 * <ul>
 * <li>Headers: {@code Authorization: Bearer <project key>} (never in the body),
 * {@code Content-Type: application/json}, {@code PostHog-Sdk-Info: <lib>/<version>},
 * {@code PostHog-Attempt} (1, 2, ... across every attempt of a request, partial retries
 * and probes included), {@code PostHog-Request-Id} (a UUID kept by every attempt of the
 * request), {@code PostHog-Request-Timestamp} (RFC 3339 UTC, new for each attempt),
 * {@code Content-Encoding} when compressed (gzip or zstd).</li>
 * <li>Body: {@code {"created_at": <when the request was first built, kept across
 * attempts>, "historical_migration": true (only when set), "batch": [...]}}; no
 * {@code api_key}, no {@code sent_at}; events as {@link V1Events} makes them.</li>
 * <li>Responses: a 2xx carries {@code {"results": {"<uuid>": {"result": ...}}}}:
 * {@code retry} events are sent again (alone, same request id, next attempt, after the
 * backoff with {@code Retry-After} as a floor), {@code drop} events are dropped
 * ({@code rejected}), {@code limited} ones too ({@code rate_limited}); {@code ok},
 * {@code warning}, an unknown result or an event missing from the map count as sent. A
 * 2xx whose body cannot be read counts as sent (one WARN a minute). 408, 429, 5xx and I/O
 * errors are retried ({@code Retry-After} honoured); every other status rejects the
 * batch. posthog-python and posthog-node drop a batch on a v1 429 (PostHog signals
 * overload with a retryable 5xx); the contract does not test it, and a 429 from a proxy
 * must not lose events, so this client keeps the rule of v0 and of the logs spec.</li>
 * </ul>
 */
final class V1AnalyticsProtocol implements WireProtocol {

    static final String PATH = "/i/v1/analytics/events";

    /**
     * Enough for the results map of the largest batch (5,000 events of ~45 bytes each,
     * and more).
     */
    private static final int MAX_RESPONSE_BYTES = 1024 * 1024;

    private static final WarnLimiter UNREADABLE = new WarnLimiter(Log.CLIENT, TimeUnit.MINUTES.toNanos(1));

    private static final byte[] SUFFIX = "]}".getBytes(StandardCharsets.US_ASCII);

    private final String authorization;

    private final boolean historicalMigration;

    private final EventSerializer serializer;

    V1AnalyticsProtocol(String apiKey, boolean historicalMigration, EventSerializer serializer) {
        this.authorization = "Bearer " + apiKey;
        this.historicalMigration = historicalMigration;
        this.serializer = serializer;
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public int envelopeOverhead() {
        return "{\"created_at\":\"2025-01-01T00:00:00.000Z\",\"historical_migration\":true,\"batch\":[]}".length();
    }

    @Override
    public byte[] body(Batch b, ContentEncoding encoding) {
        if (b.requestId == null) {
            b.requestId = UUID.randomUUID().toString();
        }
        if (b.createdAt == null) {
            b.createdAt = now();
        }
        String prefix = "{\"created_at\":\"" + b.createdAt + "\""
                + (this.historicalMigration ? ",\"historical_migration\":true" : "") + ",\"batch\":[";
        return this.serializer.body(prefix.getBytes(StandardCharsets.US_ASCII), b.events, V1AnalyticsProtocol::record,
                SUFFIX, encoding);
    }

    private static byte[] record(QueuedEvent e) {
        byte[] v1 = e.v1Json;
        if (v1 == null) {
            v1 = V1Events.fromCanonical(java.util.Objects.requireNonNull(e.json));
            e.v1Json = v1;
        }
        return v1;
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    @Override
    public Map<String, String> headers(Batch b, ContentEncoding encoding) {
        Map<String, String> headers = new LinkedHashMap<>(8);
        headers.put("Content-Type", "application/json");
        headers.put("Authorization", this.authorization);
        headers.put("PostHog-Sdk-Info", PosthogHttp.USER_AGENT);
        headers.put("PostHog-Attempt", Integer.toString(b.attempts));
        headers.put("PostHog-Request-Id", String.valueOf(b.requestId));
        headers.put("PostHog-Request-Timestamp", now());
        String contentEncoding = encoding.header();
        if (contentEncoding != null) {
            headers.put("Content-Encoding", contentEncoding);
        }
        return headers;
    }

    @Override
    public int maxResponseBytes() {
        return MAX_RESPONSE_BYTES;
    }

    @Override
    public Verdict read(Transport.HttpResult result, Batch b) {
        int status = result.status();
        if (status >= 200 && status < 300) {
            return results(result, b);
        }
        return Verdict.failed(result);
    }

    private static Verdict results(Transport.HttpResult result, Batch b) {
        byte[] body = result.body();
        JsonNode results;
        try {
            results = (body == null || body.length == 0) ? null : EventSerializer.MAPPER.readTree(body).get("results");
        }
        catch (IOException ex) {
            results = null;
        }
        if (results == null || !results.isObject()) {
            UNREADABLE.warn("PostHog answered a capture v1 request with HTTP " + result.status()
                    + " but no readable results map; its events count as sent.");
            return Verdict.SENT_ALL;
        }
        List<QueuedEvent> retry = new ArrayList<>(0);
        List<QueuedEvent> dropped = new ArrayList<>(0);
        List<QueuedEvent> limited = new ArrayList<>(0);
        for (QueuedEvent e : b.events) {
            JsonNode entry = results.get(e.uuid);
            String outcome = (entry != null) ? entry.path("result").asText("") : "";
            switch (outcome) {
                case "retry" -> retry.add(e);
                case "drop" -> dropped.add(e);
                case "limited" -> limited.add(e);
                default -> {
                    // ok, warning, unknown (forward compatible) or absent: accepted
                }
            }
        }
        if (retry.isEmpty() && dropped.isEmpty() && limited.isEmpty()) {
            return Verdict.SENT_ALL;
        }
        String detail = "HTTP " + result.status() + ": " + retry.size() + " to retry, " + dropped.size() + " dropped, "
                + limited.size() + " limited";
        return new Verdict(Kind.SENT, retry, dropped, limited, detail);
    }

}
