package io.github.posthog4j.client.internal;

import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip (RFC 1952) at the fastest level with one reused {@link Deflater} and one reused
 * output array: a request body is compressed in one pass over the plain body, with no
 * stream objects, no per-record native calls and no new native compressor per request.
 * One per delivering thread (not thread-safe). The native memory is released when the
 * owner is collected (the JDK's cleaner), or by {@link #end()}.
 */
final class Gzip {

    private static final int HEADER = 10;

    private static final int TRAILER = 8;

    /** Output arrays grown past this are not kept for the next request. */
    private static final int KEEP = 1024 * 1024;

    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);

    private final CRC32 crc = new CRC32();

    private byte[] out = new byte[64 * 1024];

    /**
     * @param data the plain bytes
     * @param length how many of them
     * @return a complete gzip member of {@code data[0..length)}
     */
    byte[] compress(byte[] data, int length) {
        this.deflater.reset();
        this.crc.reset();
        this.crc.update(data, 0, length);
        byte[] o = this.out;
        o[0] = 0x1f;
        o[1] = (byte) 0x8b;
        o[2] = Deflater.DEFLATED;
        Arrays.fill(o, 3, HEADER, (byte) 0);
        int n = HEADER;
        this.deflater.setInput(data, 0, length);
        this.deflater.finish();
        while (!this.deflater.finished()) {
            if (o.length - n - TRAILER < 1024) {
                o = Arrays.copyOf(o, o.length * 2);
            }
            n += this.deflater.deflate(o, n, o.length - n - TRAILER);
        }
        writeInt(o, n, (int) this.crc.getValue());
        writeInt(o, n + 4, length);
        n += TRAILER;
        this.out = (o.length <= KEEP) ? o : new byte[64 * 1024];
        return Arrays.copyOf(o, n);
    }

    private static void writeInt(byte[] o, int at, int v) {
        o[at] = (byte) v;
        o[at + 1] = (byte) (v >>> 8);
        o[at + 2] = (byte) (v >>> 16);
        o[at + 3] = (byte) (v >>> 24);
    }

    /** Releases the native compressor now. */
    void end() {
        this.deflater.end();
    }

}
