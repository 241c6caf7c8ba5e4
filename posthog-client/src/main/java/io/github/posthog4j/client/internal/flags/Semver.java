package io.github.posthog4j.client.internal.flags;

import java.math.BigInteger;

/**
 * The {@code (major, minor, patch)} version used by the {@code semver_*} operators.
 * Parsing follows PostHog: surrounding whitespace and any leading {@code v}/{@code V} are
 * dropped, pre-release and build suffixes are ignored, missing parts default to 0, parts
 * beyond the third are ignored, and numeric parts must not have leading zeros.
 */
record Semver(BigInteger major, BigInteger minor, BigInteger patch) implements Comparable<Semver> {

    static Semver parse(Object value) {
        String text = stripV(PyValues.str(value).strip());
        text = text.split("-", -1)[0].split("\\+", -1)[0];
        String[] parts = text.split("\\.", -1);
        if (parts.length == 0 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("Invalid semver format: " + value);
        }
        BigInteger major = number(parts[0]);
        BigInteger minor = parts.length > 1 && !parts[1].isEmpty() ? number(parts[1]) : BigInteger.ZERO;
        BigInteger patch = parts.length > 2 && !parts[2].isEmpty() ? number(parts[2]) : BigInteger.ZERO;
        return new Semver(major, minor, patch);
    }

    /** Lower (inclusive) and upper (exclusive) bound of {@code ~value}. */
    static Semver[] tildeBounds(Object value) {
        Semver v = parse(value);
        return new Semver[] { v, new Semver(v.major, v.minor.add(BigInteger.ONE), BigInteger.ZERO) };
    }

    /** Lower (inclusive) and upper (exclusive) bound of {@code ^value}. */
    static Semver[] caretBounds(Object value) {
        Semver v = parse(value);
        Semver upper;
        if (v.major.signum() > 0) {
            upper = new Semver(v.major.add(BigInteger.ONE), BigInteger.ZERO, BigInteger.ZERO);
        }
        else if (v.minor.signum() > 0) {
            upper = new Semver(BigInteger.ZERO, v.minor.add(BigInteger.ONE), BigInteger.ZERO);
        }
        else {
            upper = new Semver(BigInteger.ZERO, BigInteger.ZERO, v.patch.add(BigInteger.ONE));
        }
        return new Semver[] { v, upper };
    }

    /**
     * Lower (inclusive) and upper (exclusive) bound of a wildcard such as {@code 1.*} or
     * {@code 1.2.*}.
     */
    static Semver[] wildcardBounds(Object value) {
        String cleaned = stripV(PyValues.str(value).strip()).replace("*", "");
        int end = cleaned.length();
        while (end > 0 && cleaned.charAt(end - 1) == '.') {
            end--;
        }
        cleaned = cleaned.substring(0, end);
        if (cleaned.isEmpty()) {
            throw new IllegalArgumentException("Invalid wildcard pattern: " + value);
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (String part : cleaned.split("\\.", -1)) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("Invalid wildcard pattern: " + value);
        }
        BigInteger major = number(parts.get(0));
        if (parts.size() == 1) {
            return new Semver[] { new Semver(major, BigInteger.ZERO, BigInteger.ZERO),
                    new Semver(major.add(BigInteger.ONE), BigInteger.ZERO, BigInteger.ZERO) };
        }
        BigInteger minor = number(parts.get(1));
        if (parts.size() == 2) {
            return new Semver[] { new Semver(major, minor, BigInteger.ZERO),
                    new Semver(major, minor.add(BigInteger.ONE), BigInteger.ZERO) };
        }
        BigInteger patch = number(parts.get(2));
        return new Semver[] { new Semver(major, minor, patch), new Semver(major, minor, patch.add(BigInteger.ONE)) };
    }

    private static String stripV(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == 'v' || s.charAt(i) == 'V')) {
            i++;
        }
        return s.substring(i);
    }

    private static BigInteger number(String part) {
        if (part.isEmpty()) {
            throw new IllegalArgumentException("Invalid semver numeric identifier: ''");
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("Invalid semver numeric identifier: '" + part + "'");
            }
        }
        if (part.length() > 1 && part.charAt(0) == '0') {
            throw new IllegalArgumentException("Semver numeric identifier has leading zero: '" + part + "'");
        }
        return new BigInteger(part);
    }

    @Override
    public int compareTo(Semver other) {
        int c = major.compareTo(other.major);
        if (c == 0) {
            c = minor.compareTo(other.minor);
        }
        if (c == 0) {
            c = patch.compareTo(other.patch);
        }
        return c;
    }

    boolean within(Semver[] bounds) {
        return bounds[0].compareTo(this) <= 0 && compareTo(bounds[1]) < 0;
    }
}
