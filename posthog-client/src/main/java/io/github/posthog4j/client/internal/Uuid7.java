package io.github.posthog4j.client.internal;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Generates version 7 UUIDs (RFC 9562): 48 bits of Unix milliseconds, then random bits.
 */
public final class Uuid7 {

    private Uuid7() {
    }

    /**
     * @param epochMillis the timestamp to embed
     * @return a new UUIDv7
     */
    public static UUID generate(long epochMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (epochMillis << 16) | 0x7000L | (random.nextInt() & 0x0FFFL);
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /**
     * Checks the canonical 8-4-4-4-12 hexadecimal form.
     * @param value a string
     * @return whether it is a UUID in canonical form
     */
    public static boolean isCanonical(String value) {
        if (value == null || value.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = value.charAt(i);
            boolean dash = (i == 8 || i == 13 || i == 18 || i == 23);
            if (dash ? c != '-' : Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }

}
