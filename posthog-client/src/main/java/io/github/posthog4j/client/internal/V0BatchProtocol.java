package io.github.posthog4j.client.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PostHog's v0 batch protocol: {@code POST {path}} with {@code {"api_key",
 * "historical_migration", "batch": [...], "sent_at"}}, the events as serialised
 * ({@code $lib} and the rest in their properties). Any 2xx is success; 408, 429, 5xx and
 * I/O errors are retried; other statuses reject the batch. Used by the analytics events
 * pipeline ({@code /batch/}, capture v0) and by the AI pipeline
 * ({@code /i/v0/ai/batch/}).
 */
final class V0BatchProtocol implements WireProtocol {

    /** The analytics route of capture v0. */
    static final String BATCH_PATH = "/batch/";

    /** The dedicated AI route. */
    static final String AI_BATCH_PATH = "/i/v0/ai/batch/";

    private final String path;

    private final EventSerializer serializer;

    private final byte[] prefix;

    /**
     * @param path the route
     * @param apiKey the project API key (in the body)
     * @param historicalMigration the envelope flag
     * @param serializer the sending thread's serializer
     */
    V0BatchProtocol(String path, String apiKey, boolean historicalMigration, EventSerializer serializer) {
        this.path = path;
        this.serializer = serializer;
        this.prefix = EventSerializer.envelopePrefix(apiKey, historicalMigration);
    }

    @Override
    public String path() {
        return this.path;
    }

    @Override
    public int envelopeOverhead() {
        return this.prefix.length + EventSerializer.envelopeSuffixLength();
    }

    @Override
    public byte[] body(Batch b, ContentEncoding encoding) {
        return this.serializer.body(this.prefix, b.events, encoding == ContentEncoding.GZIP);
    }

    @Override
    public Map<String, String> headers(Batch b, ContentEncoding encoding) {
        Map<String, String> headers = new LinkedHashMap<>(4);
        headers.put("Content-Type", "application/json");
        if (encoding == ContentEncoding.GZIP) {
            headers.put("Content-Encoding", "gzip");
        }
        return headers;
    }

}
