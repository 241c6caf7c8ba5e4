package io.github.posthog4j.client.internal.otlp;

import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * W3C Trace Context for the traces pipeline: trace ids (16 random bytes) and span ids (8
 * random bytes) as lowercase hex, never all zero; the {@code traceparent} header value
 * ({@code 00-<trace id>-<span id>-01}) and its parsing; the {@code tracestate} check. Ids
 * come from {@link ThreadLocalRandom}, as OpenTelemetry Java's default id generator:
 * fast, contention-free, and 128 random bits per trace. Internal API.
 *
 * @param traceId 32 lowercase hex characters
 * @param spanId 16 lowercase hex characters
 * @param flags the trace flags
 */
public record TraceContext(String traceId, String spanId, int flags) {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** The longest {@code tracestate} kept (W3C: 512 characters). */
    static final int MAX_TRACESTATE_LENGTH = 512;

    /** The most {@code tracestate} members (W3C: 32). */
    static final int MAX_TRACESTATE_MEMBERS = 32;

    /**
     * @return a new random trace id
     */
    public static String newTraceId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi;
        long lo;
        do {
            hi = r.nextLong();
            lo = r.nextLong();
        }
        while (hi == 0 && lo == 0);
        char[] out = new char[32];
        hex(hi, out, 0);
        hex(lo, out, 16);
        return new String(out);
    }

    /**
     * @return a new random span id
     */
    public static String newSpanId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long id;
        do {
            id = r.nextLong();
        }
        while (id == 0);
        char[] out = new char[16];
        hex(id, out, 0);
        return new String(out);
    }

    private static void hex(long v, char[] out, int offset) {
        for (int i = 15; i >= 0; i--) {
            out[offset + i] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
    }

    /**
     * @param id a string
     * @return whether it is a valid trace id: 32 lowercase hex characters, not all zero
     */
    public static boolean isValidTraceId(@Nullable String id) {
        return isLowerHex(id, 32);
    }

    /**
     * @param id a string
     * @return whether it is a valid span id: 16 lowercase hex characters, not all zero
     */
    public static boolean isValidSpanId(@Nullable String id) {
        return isLowerHex(id, 16);
    }

    private static boolean isLowerHex(@Nullable String s, int length) {
        if (s == null || s.length() != length) {
            return false;
        }
        boolean nonZero = false;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
            nonZero |= c != '0';
        }
        return nonZero;
    }

    /**
     * @param traceId the trace id
     * @param spanId the span id
     * @return the {@code traceparent} value, sampled flag set
     */
    public static String traceparent(String traceId, String spanId) {
        return "00-" + traceId + "-" + spanId + "-01";
    }

    /**
     * Parses a W3C {@code traceparent}: version {@code 00} exactly, or a later version
     * (its first four fields; {@code ff} is invalid), lowercase hex ids that are not all
     * zero.
     * @param value the header value
     * @return the context, or null when the value is invalid
     */
    public static @Nullable TraceContext parse(@Nullable String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        if (v.length() < 55 || v.charAt(2) != '-' || v.charAt(35) != '-' || v.charAt(52) != '-') {
            return null;
        }
        String version = v.substring(0, 2);
        if (!isHexByte(version) || version.equals("ff")) {
            return null;
        }
        if (version.equals("00") ? v.length() != 55 : (v.length() > 55 && v.charAt(55) != '-')) {
            return null;
        }
        String traceId = v.substring(3, 35);
        String spanId = v.substring(36, 52);
        String flags = v.substring(53, 55);
        if (!isValidTraceId(traceId) || !isValidSpanId(spanId) || !isHexByte(flags)) {
            return null;
        }
        return new TraceContext(traceId, spanId, Integer.parseInt(flags, 16));
    }

    private static boolean isHexByte(String s) {
        return s.length() == 2 && Character.digit(s.charAt(0), 16) >= 0 && Character.digit(s.charAt(1), 16) >= 0
                && s.equals(s.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Checks a W3C {@code tracestate}: at most 32 comma-separated {@code key=value}
     * members (empty members allowed), keys of lowercase letters, digits and
     * {@code _-*\/} (with an optional {@code @vendor} part), values of printable ASCII
     * without {@code ,} and {@code =}, at most 256 characters and not ending with a
     * space; at most 512 characters in all.
     * @param value the header value
     * @return the value as given (trimmed), or null when it is invalid or empty
     */
    public static @Nullable String validTracestate(@Nullable String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        if (v.isEmpty() || v.length() > MAX_TRACESTATE_LENGTH) {
            return null;
        }
        int members = 0;
        for (String raw : v.split(",", -1)) {
            String member = raw.strip();
            if (member.isEmpty()) {
                continue;
            }
            if (++members > MAX_TRACESTATE_MEMBERS) {
                return null;
            }
            int eq = member.indexOf('=');
            if (eq <= 0 || !validKey(member.substring(0, eq)) || !validValue(member.substring(eq + 1))) {
                return null;
            }
        }
        return (members > 0) ? v : null;
    }

    private static boolean validKey(String key) {
        int at = key.indexOf('@');
        if (at >= 0) {
            return validKeyPart(key.substring(0, at), 241) && validKeyPart(key.substring(at + 1), 14);
        }
        return validKeyPart(key, 256);
    }

    private static boolean validKeyPart(String part, int max) {
        if (part.isEmpty() || part.length() > max) {
            return false;
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || (i > 0 && (c == '_' || c == '-' || c == '*' || c == '/'));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean validValue(String value) {
        if (value.isEmpty() || value.length() > 256 || value.charAt(value.length() - 1) == ' ') {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == ',' || c == '=') {
                return false;
            }
        }
        return true;
    }

}
