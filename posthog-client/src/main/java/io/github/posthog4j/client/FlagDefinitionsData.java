package io.github.posthog4j.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The complete local-evaluation definitions as PostHog serves them
 * ({@code GET /api/feature_flag/local_evaluation/}): the JSON document with
 * {@code flags}, {@code group_type_mapping}, {@code cohorts} and the
 * {@code minimal_flag_called_events} gate, kept as received so that a round trip through
 * a {@link FlagDefinitionCacheProvider} changes nothing.
 *
 * @param json the document (UTF-8 JSON text)
 * @param etag PostHog's {@code ETag} for it, or null
 * @param fetchedAt when PostHog last served or confirmed it
 * @param version a digest of the document: equal documents have equal versions
 */
public record FlagDefinitionsData(String json, @Nullable String etag, Instant fetchedAt, String version) {

    /**
     * Checks the parts.
     * @param json the document
     * @param etag the ETag, or null
     * @param fetchedAt when PostHog served it
     * @param version its digest
     */
    public FlagDefinitionsData {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(fetchedAt, "fetchedAt");
        Objects.requireNonNull(version, "version");
    }

    /**
     * @param json the document
     * @param etag the ETag, or null
     * @param fetchedAt when PostHog served it
     * @return the data, with the document's SHA-256 as version
     */
    public static FlagDefinitionsData of(String json, @Nullable String etag, Instant fetchedAt) {
        return new FlagDefinitionsData(json, etag, fetchedAt, digest(json));
    }

    /**
     * @param fetched when PostHog confirmed the document again
     * @return the same document with another fetch time
     */
    public FlagDefinitionsData confirmedAt(Instant fetched) {
        return new FlagDefinitionsData(json, etag, fetched, version);
    }

    private static String digest(String json) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public String toString() {
        return "FlagDefinitionsData[version=" + version + ", fetchedAt=" + fetchedAt + ", " + json.length() + " chars]";
    }

}
