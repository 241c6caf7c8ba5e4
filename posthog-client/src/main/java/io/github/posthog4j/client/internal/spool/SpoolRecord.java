package io.github.posthog4j.client.internal.spool;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * One event read from the spool.
 *
 * @param segment the segment it came from (for acknowledgement)
 * @param offset where it sits in its segment (for acknowledgement)
 * @param uuid the event's uuid
 * @param json the serialised event
 * @param flags the capture's feature-flag request when the delivery side must add flag
 * properties, else null
 */
public record SpoolRecord(long segment, long offset, String uuid, byte[] json, byte @Nullable [] flags) {

    private static final byte[] PREFIX = "{\"uuid\":\"".getBytes(StandardCharsets.US_ASCII);

    private static final int UUID_LENGTH = 36;

    /**
     * @return the uuid of a serialised event (it starts with {@code {"uuid":"...}), or
     * null when the JSON is not an event of ours
     */
    static @Nullable String uuidOf(byte[] json) {
        if (json.length < PREFIX.length + UUID_LENGTH + 1) {
            return null;
        }
        for (int i = 0; i < PREFIX.length; i++) {
            if (json[i] != PREFIX[i]) {
                return null;
            }
        }
        if (json[PREFIX.length + UUID_LENGTH] != '"') {
            return null;
        }
        return new String(json, PREFIX.length, UUID_LENGTH, StandardCharsets.US_ASCII);
    }

}
