package io.github.posthog4j.compliance;

import io.github.posthog4j.client.CaptureProtocol;
import io.github.posthog4j.client.CompressionEncoding;
import java.util.ArrayList;
import java.util.List;

/**
 * What the adapter's SDK instances speak, from the command line, and the capabilities
 * {@code /health} declares for it. An SDK speaks one capture protocol at a time:
 * {@code capture_v0} or {@code capture_v1}; the AI route ({@code capture_ai_v0}) in both.
 * One encoding is declared: the one {@code enable_compression} turns on, because the
 * contract's compression tests all init with {@code enable_compression: true} and expect
 * their own encoding, so declaring two would make one of them fail by construction.
 *
 * @param protocol the capture protocol
 * @param encoding the encoding of compressed bodies
 */
record AdapterMode(CaptureProtocol protocol, CompressionEncoding encoding) {

    /** The default: capture v0, gzip. */
    static final AdapterMode DEFAULT = new AdapterMode(CaptureProtocol.V0, CompressionEncoding.GZIP);

    /**
     * @param arguments the command line
     * @return the mode it asks for
     * @throws IllegalArgumentException when zstd is asked for but zstd-jni does not load
     */
    static AdapterMode of(AdapterArguments arguments) {
        AdapterMode mode = new AdapterMode(arguments.captureProtocol(), arguments.compressionEncoding());
        if (mode.encoding == CompressionEncoding.ZSTD && !zstdLoads()) {
            throw new IllegalArgumentException("--" + AdapterArguments.COMPRESSION_ENCODING
                    + "=zstd, but com.github.luben:zstd-jni does not load on this machine");
        }
        return mode;
    }

    /**
     * @return the capabilities of {@code /health}
     */
    List<String> capabilities() {
        List<String> capabilities = new ArrayList<>(3);
        capabilities.add((this.protocol == CaptureProtocol.V1) ? "capture_v1" : "capture_v0");
        capabilities.add("capture_ai_v0");
        capabilities.add("encoding_" + this.encoding.tag());
        return List.copyOf(capabilities);
    }

    /**
     * @return whether zstd-jni is on the class path and its native library loads here
     */
    static boolean zstdLoads() {
        try {
            Class<?> zstd = Class.forName("com.github.luben.zstd.Zstd");
            Object out = zstd.getMethod("compress", byte[].class, int.class).invoke(null, new byte[] { 1 }, 3);
            return out instanceof byte[] b && b.length > 0;
        }
        catch (ReflectiveOperationException | LinkageError | RuntimeException ex) {
            return false;
        }
    }

}
