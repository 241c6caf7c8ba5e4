package io.github.posthog4j.client.internal.flags;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * PostHog's deterministic bucketing: SHA-1 of
 * {@code "<flag key>.<bucketing value><salt>"}, the first 15 hex digits read as an
 * integer and divided by {@code 0xFFFFFFFFFFFFFFF}, giving a number in {@code [0, 1]}
 * that is identical across every PostHog SDK and the server.
 */
final class FlagHashing {

    /**
     * Salt used to pick a multivariate variant, so variant choice is independent of
     * rollout.
     */
    static final String VARIANT_SALT = "variant";

    private static final double LONG_SCALE = (double) 0xFFFFFFFFFFFFFFFL;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private FlagHashing() {
    }

    /** The bucket of {@code bucketingValue} for {@code flagKey}, in {@code [0, 1]}. */
    static double hash(String flagKey, String bucketingValue, String salt) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java platform", e);
        }
        byte[] digest = sha1.digest((flagKey + "." + bucketingValue + salt).getBytes(StandardCharsets.UTF_8));
        // 15 hex digits = 60 bits: the first 7 bytes and the high nibble of the 8th.
        long value = 0;
        for (int i = 0; i < 7; i++) {
            value = (value << 8) | (digest[i] & 0xFF);
        }
        value = (value << 4) | ((digest[7] & 0xFF) >>> 4);
        return value / LONG_SCALE;
    }

    /** Hex form of the first 15 digits, for diagnostics and tests. */
    static String hashPrefix(String flagKey, String bucketingValue, String salt) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                .digest((flagKey + "." + bucketingValue + salt).getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                sb.append(HEX[(digest[i] >> 4) & 0xF]).append(HEX[digest[i] & 0xF]);
            }
            return sb.substring(0, 15);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
