package io.github.posthog4j.client.internal.spool;

/**
 * One event read from the spool.
 *
 * @param segment the segment it came from (for acknowledgement)
 * @param uuid the event's uuid
 * @param json the serialised event
 */
public record SpoolRecord(long segment, String uuid, byte[] json) {
}
