package io.github.posthog4j.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The reused compressor writes complete gzip members that the JDK's reader (and so
 * PostHog's) decodes back to the input, request after request, small and large.
 */
class GzipTests {

    private static byte[] gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    @Test
    void everyRequestDecodesBackToItsBody() throws IOException {
        Gzip gzip = new Gzip();
        Random random = new Random(17);
        for (int size : new int[] { 0, 1, 100, 70_000, 3 * 1024 * 1024, 10 }) {
            byte[] plain = new byte[size + 5];
            for (int i = 0; i < plain.length; i++) {
                // JSON-like text, and some noise that does not compress
                plain[i] = (i % 97 == 0) ? (byte) random.nextInt() : (byte) ("{\"event\":\"x\"}".charAt(i % 13));
            }
            byte[] body = gzip.compress(plain, size);
            assertThat(gunzip(body)).hasSize(size).isEqualTo(java.util.Arrays.copyOf(plain, size));
        }
        gzip.end();
    }

    @Test
    void jsonIsCompressed() throws IOException {
        byte[] plain = "{\"event\":\"order completed\",\"properties\":{\"plan\":\"pro\"}},".repeat(1000)
            .getBytes(StandardCharsets.US_ASCII);
        byte[] body = new Gzip().compress(plain, plain.length);
        assertThat(body.length).isLessThan(plain.length / 10);
        assertThat(gunzip(body)).isEqualTo(plain);
    }

}
