package io.github.posthog4j.client.internal.flags;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.internal.ClientSettings;
import io.github.posthog4j.client.internal.Json;
import io.github.posthog4j.client.internal.Log;
import io.github.posthog4j.client.internal.WarnLimiter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Remote evaluation: {@code POST /flags/?v=2}. Builds the request from resolved inputs,
 * retries a gateway error (502, 504) or a transport failure up to the configured count
 * (300 ms, then doubling), parses the answer and turns every failure into an error code
 * (never an exception), counted and logged at most every 30 seconds. Owns the remote HTTP
 * client: created on first use, released by {@link #closeHttp()}, never again after
 * {@link #close()}. Thread-safe.
 */
final class RemoteFlags {

    private static final Log log = Log.CLIENT;

    /** The pause before the first retry; it doubles with each retry. */
    static final long RETRY_BACKOFF_MILLIS = 300;

    private final Supplier<ClientSettings> settings;

    private final FlagRequests requests;

    private final LongAdder failures = new LongAdder();

    private volatile @Nullable String lastError;

    private final WarnLimiter warnings = new WarnLimiter(log, TimeUnit.SECONDS.toNanos(30));

    /** Guarded by this. */
    private @Nullable FlagsHttp http;

    /** Guarded by this. Set by close: no HTTP client is created afterwards. */
    private boolean closed;

    RemoteFlags(Supplier<ClientSettings> settings, FlagRequests requests) {
        this.settings = settings;
        this.requests = requests;
    }

    /**
     * Asks PostHog. Never throws.
     * @param in the resolved inputs
     * @param keys the flags to evaluate, or null (or empty) for all
     * @return the answer, or the error
     */
    RemoteAnswer fetch(FlagInputs in, @Nullable Collection<String> keys) {
        ClientSettings s = this.settings.get();
        byte[] body;
        try {
            body = Json.mapper().writeValueAsBytes(requestBody(s, in, keys));
        }
        catch (JsonProcessingException | RuntimeException ex) {
            return failed("unknown_error", "the flag request could not be serialized: " + ex.getMessage());
        }
        FlagsHttp client = http(s);
        if (client == null) {
            return failed("client_closed", "the PostHog client is closed");
        }
        FlagsHttp.Response response = send(client, s.host() + "/flags/?v=2", body, s.flags().maxRetries());
        if (response.status() == 0) {
            return failed(response.timeout() ? "timeout" : "connection_error", this.requests.scrub(response.error()));
        }
        if (response.status() < 200 || response.status() > 299) {
            return failed("api_error_" + response.status(), "HTTP " + response.status());
        }
        if (response.body() == null) {
            return failed("unknown_error", this.requests.scrub(response.error()));
        }
        return parse(response.body());
    }

    static Map<String, Object> requestBody(ClientSettings s, FlagInputs in, @Nullable Collection<String> keys) {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("token", s.apiKey());
        req.put("distinct_id", in.distinctId());
        req.put("groups", in.groups());
        Map<String, Object> person = new LinkedHashMap<>();
        person.put("distinct_id", in.distinctId());
        person.putAll(in.personProperties());
        req.put("person_properties", person);
        Map<String, Object> groupProps = new LinkedHashMap<>(in.groupProperties());
        in.groups().forEach((t, k) -> {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("$group_key", k);
            Map<String, Object> given = in.groupProperties().get(t);
            if (given != null) {
                p.putAll(given);
            }
            groupProps.put(t, p);
        });
        req.put("group_properties", groupProps);
        req.put("geoip_disable", in.disableGeoip());
        if (keys != null && !keys.isEmpty()) {
            req.put("flag_keys_to_evaluate", new ArrayList<>(keys));
        }
        if (in.deviceId() != null) {
            req.put("device_id", in.deviceId());
        }
        return req;
    }

    /**
     * The first attempt and its retries (transport failures, 502 and 504 only), each
     * reported.
     */
    private FlagsHttp.Response send(FlagsHttp client, String url, byte[] body, int retries) {
        int attempts = 1 + retries;
        FlagsHttp.Response response = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            long start = System.nanoTime();
            response = client.postJson(url, body);
            boolean retryable = response.status() == 0 || response.status() == 502 || response.status() == 504;
            this.requests.report("flags", attempt, response, retryable, body.length, start);
            if (!retryable || attempt == attempts) {
                break;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(retryDelayMillis(attempt));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return response;
    }

    /**
     * @param attempt the attempt that failed, from 1
     * @return the pause before the next: 300 ms, then doubling (at most 300 ms x 2^9)
     */
    static long retryDelayMillis(int attempt) {
        return RETRY_BACKOFF_MILLIS << Math.min(attempt - 1, 9);
    }

    private RemoteAnswer parse(byte[] body) {
        try {
            JsonNode root = Json.mapper().readTree(body);
            if (root == null || !root.isObject()) {
                return failed("unknown_error", "the /flags response is not a JSON object");
            }
            JsonNode quota = root.path("quotaLimited");
            if (quota.isArray()) {
                for (JsonNode q : quota) {
                    if ("feature_flags".equals(q.asText())) {
                        return failed("quota_limited", "PostHog feature flags are quota limited (see "
                                + "https://posthog.com/docs/billing/limits-alerts)");
                    }
                }
            }
            RemoteMeta meta = new RemoteMeta(RemoteFlag.text(root.get("requestId")), scalar(root.get("evaluatedAt")),
                    root.path("errorsWhileComputingFlags").asBoolean(false),
                    root.path("minimalFlagCalledEvents").isBoolean()
                            && root.path("minimalFlagCalledEvents").booleanValue());
            return new RemoteAnswer(RemoteFlag.parseAll(root), meta, null);
        }
        catch (IOException | RuntimeException ex) {
            return failed("unknown_error", "malformed /flags response: " + ex.getClass().getSimpleName());
        }
    }

    private static @Nullable Object scalar(@Nullable JsonNode n) {
        if (n == null || n.isNull() || !n.isValueNode()) {
            return null;
        }
        return n.isIntegralNumber() ? (Object) n.asLong() : n.asText();
    }

    private RemoteAnswer failed(String code, @Nullable String detail) {
        this.failures.increment();
        this.lastError = code + ((detail != null) ? ": " + detail : "");
        this.warnings.warn("PostHog could not evaluate feature flags (" + this.lastError + "); returning defaults");
        return RemoteAnswer.failed(code);
    }

    private synchronized @Nullable FlagsHttp http(ClientSettings s) {
        if (this.closed) {
            return null;
        }
        if (this.http == null) {
            this.http = new FlagsHttp(s, "posthog-flags-remote-http-");
        }
        return this.http;
    }

    /** Releases the HTTP client; the next evaluation creates a new one. */
    void closeHttp() {
        FlagsHttp client;
        synchronized (this) {
            client = this.http;
            this.http = null;
        }
        if (client != null) {
            client.close();
        }
    }

    /** Releases the HTTP client for good. */
    void close() {
        synchronized (this) {
            this.closed = true;
        }
        closeHttp();
    }

    /**
     * @return how many evaluations failed
     */
    long failures() {
        return this.failures.sum();
    }

    /**
     * @return the last failure ({@code code: detail}), or null
     */
    @Nullable String lastError() {
        return this.lastError;
    }

}
