package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.CompressionEncoding;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.jspecify.annotations.Nullable;

/**
 * How a request body is compressed. zstd comes from {@code com.github.luben:zstd-jni}
 * when it is on the class path and its native library loads (looked up reflectively once:
 * the client has no dependency on it); otherwise the client uses gzip and says so once.
 */
enum ContentEncoding {

    /** Plain JSON. */
    NONE(null),

    /** gzip at the fastest level. */
    GZIP("gzip"),

    /** Zstandard (level 3), through zstd-jni. */
    ZSTD("zstd");

    private static final int ZSTD_LEVEL = 3;

    private final @Nullable String header;

    ContentEncoding(@Nullable String header) {
        this.header = header;
    }

    /**
     * @return the {@code Content-Encoding} header value, or null for plain JSON
     */
    @Nullable String header() {
        return this.header;
    }

    /**
     * The encoding a pipeline uses.
     * @param settings the client settings
     * @param zstdAllowed whether the pipeline's endpoint accepts zstd (capture v1)
     * @return the encoding
     */
    static ContentEncoding of(ClientSettings settings, boolean zstdAllowed) {
        if (!settings.compression()) {
            return NONE;
        }
        if (settings.compressionEncoding() == CompressionEncoding.ZSTD && zstdAllowed) {
            if (Zstd.COMPRESS != null) {
                return ZSTD;
            }
            Zstd.warnOnce();
        }
        return GZIP;
    }

    /**
     * @return whether zstd-jni is on the class path and its native library loaded
     */
    static boolean zstdAvailable() {
        return Zstd.COMPRESS != null;
    }

    /**
     * Compresses with zstd.
     * @param data the bytes
     * @return the compressed bytes
     * @throws IllegalStateException when zstd is not available or fails
     */
    static byte[] zstd(byte[] data) {
        MethodHandle compress = Zstd.COMPRESS;
        if (compress == null) {
            throw new IllegalStateException("zstd-jni is not available");
        }
        try {
            return (byte[]) compress.invokeExact(data, ZSTD_LEVEL);
        }
        catch (RuntimeException | Error ex) {
            throw ex;
        }
        catch (Throwable ex) {
            throw new IllegalStateException("zstd compression failed", ex);
        }
    }

    /** The reflective link to zstd-jni, resolved once. */
    private static final class Zstd {

        static final @Nullable MethodHandle COMPRESS = find();

        private static volatile boolean warned;

        private static @Nullable MethodHandle find() {
            try {
                Class<?> zstd = Class.forName("com.github.luben.zstd.Zstd", true,
                        ContentEncoding.class.getClassLoader());
                MethodHandle handle = MethodHandles.publicLookup()
                    .findStatic(zstd, "compress", MethodType.methodType(byte[].class, byte[].class, int.class));
                byte[] probe = (byte[]) handle.invokeExact(new byte[] { 1, 2, 3 }, ZSTD_LEVEL);
                return (probe.length > 0) ? handle : null;
            }
            catch (Throwable ex) {
                // absent, or its native library cannot load on this platform
                return null;
            }
        }

        static void warnOnce() {
            if (!warned) {
                warned = true;
                Log.CLIENT.warn("posthog.compression-encoding is zstd but com.github.luben:zstd-jni is not on the "
                        + "class path or its native library does not load here; request bodies are gzip-compressed "
                        + "instead. Add zstd-jni to the application, or set the encoding to gzip.");
            }
        }

    }

}
