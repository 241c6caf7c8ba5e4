package io.github.posthog4j.client;

import java.util.Locale;

/**
 * The content encoding of compressed request bodies (when compression is on).
 */
public enum CompressionEncoding {

    /** gzip at the fastest level: understood by every PostHog endpoint. */
    GZIP,

    /**
     * Zstandard, for capture v1 only (other routes use gzip). Needs
     * {@code com.github.luben:zstd-jni} on the class path and its native library loadable
     * on this machine; without it the client falls back to gzip with one WARN.
     */
    ZSTD;

    /**
     * @return the {@code Content-Encoding} value, e.g. {@code zstd}
     */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

}
