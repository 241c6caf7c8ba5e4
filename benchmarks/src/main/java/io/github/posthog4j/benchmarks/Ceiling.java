package io.github.posthog4j.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;
import java.util.zip.CRC32;

/**
 * The ceiling of issue 17: a minimal <em>correct</em> client (every event delivered with
 * a uuid and a timestamp, gzip on, requests far under PostHog's size limit) with nothing
 * else: no queue bound, no retries, no outage handling, no hooks, no listeners. Each
 * capturing thread writes its events' JSON straight into a reused per-thread buffer and
 * hands off batches of {@value #BATCH} events; two sender threads each gzip a batch
 * (level 1, a reused {@link Deflater}) into a reused buffer and POST it, with up to two
 * requests in flight each. What our client delivers per second is measured against this
 * in the same run.
 */
final class Ceiling implements Clients.Client {

    static final int BATCH = 1000;

    private static final int SENDERS = 2;

    private static final int IN_FLIGHT = 2;

    private static final byte[] PREFIX = ("{\"api_key\":\"" + Clients.API_KEY + "\",\"batch\":[")
        .getBytes(StandardCharsets.US_ASCII);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final URI uri;

    private final LinkedBlockingQueue<Buf> batches = new LinkedBlockingQueue<>();

    private final ConcurrentLinkedQueue<Buf> free = new ConcurrentLinkedQueue<>();

    private final List<Buf> open = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final ThreadLocal<Buf> current = ThreadLocal.withInitial(this::register);

    /** Batches handed off and not answered yet. */
    private final AtomicLong outstanding = new AtomicLong();

    private final List<Thread> senders = new ArrayList<>();

    private volatile boolean closed;

    Ceiling(String host) {
        this.uri = URI.create(host + "/batch/");
        for (int i = 0; i < SENDERS; i++) {
            Thread t = new Thread(this::send, "ceiling-sender-" + (i + 1));
            t.setDaemon(true);
            t.start();
            this.senders.add(t);
        }
    }

    /** A growable byte buffer: a thread's batch being written. */
    static final class Buf {

        byte[] b = new byte[256 * 1024];

        int len;

        int events;

        void ensure(int more) {
            if (this.len + more > this.b.length) {
                this.b = java.util.Arrays.copyOf(this.b, Math.max(this.b.length * 2, this.len + more));
            }
        }

        void put(byte c) {
            ensure(1);
            this.b[this.len++] = c;
        }

        void ascii(String s) {
            int n = s.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                this.b[this.len++] = (byte) s.charAt(i);
            }
        }

        /**
         * A JSON string, escaped (quotes, backslash, control characters; UTF-8 above
         * ASCII).
         */
        void str(String s) {
            int n = s.length();
            ensure(n * 6 + 2);
            this.b[this.len++] = '"';
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                    this.b[this.len++] = (byte) c;
                }
                else if (c == '"' || c == '\\') {
                    this.b[this.len++] = '\\';
                    this.b[this.len++] = (byte) c;
                }
                else if (c < 0x20) {
                    ascii(String.format("\\u%04x", (int) c));
                }
                else {
                    byte[] u = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                    System.arraycopy(u, 0, this.b, this.len, u.length);
                    this.len += u.length;
                }
            }
            this.b[this.len++] = '"';
        }

        void value(Object v) {
            if (v instanceof String s) {
                str(s);
            }
            else if (v instanceof Number || v instanceof Boolean) {
                ascii(v.toString());
            }
            else if (v == null) {
                ascii("null");
            }
            else {
                str(v.toString());
            }
        }

    }

    private Buf register() {
        Buf b = new Buf();
        this.open.add(b);
        return b;
    }

    @Override
    public void capture(String distinctId, String event, Map<String, Object> properties) {
        Buf b = this.current.get();
        synchronized (b) { // uncontended but for flush()
            if (b.events > 0) {
                b.put((byte) ',');
            }
            b.ascii("{\"event\":");
            b.str(event);
            b.ascii(",\"distinct_id\":");
            b.str(distinctId);
            b.ascii(",\"uuid\":\"");
            ThreadLocalRandom r = ThreadLocalRandom.current();
            b.ascii(new java.util.UUID(r.nextLong(), r.nextLong()).toString());
            b.ascii("\",\"timestamp\":\"");
            b.ascii(Instant.now().toString());
            b.ascii("\",\"properties\":{\"$lib\":\"ceiling\"");
            for (Map.Entry<String, Object> p : properties.entrySet()) {
                b.put((byte) ',');
                b.str(p.getKey());
                b.put((byte) ':');
                b.value(p.getValue());
            }
            b.ascii("}}");
            if (++b.events >= BATCH) {
                handOff(b);
            }
        }
    }

    /**
     * Hands the buffer's events to the senders and gives the buffer a fresh (recycled)
     * array.
     */
    private void handOff(Buf b) {
        Buf full = new Buf();
        full.b = b.b;
        full.len = b.len;
        full.events = b.events;
        Buf spare = this.free.poll();
        b.b = (spare != null) ? spare.b : new byte[full.b.length];
        b.len = 0;
        b.events = 0;
        this.outstanding.incrementAndGet();
        this.batches.add(full);
    }

    private void send() {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
        CRC32 crc = new CRC32();
        // one output array per request in flight: taken before compressing, given back
        // when answered
        java.util.concurrent.ArrayBlockingQueue<byte[]> outs = new java.util.concurrent.ArrayBlockingQueue<>(IN_FLIGHT);
        for (int i = 0; i < IN_FLIGHT; i++) {
            outs.add(new byte[512 * 1024]);
        }
        try {
            while (!this.closed || !this.batches.isEmpty()) {
                Buf batch = this.batches.poll(50, TimeUnit.MILLISECONDS);
                if (batch == null) {
                    continue;
                }
                byte[] out = outs.take();
                byte[] suffix = ("],\"sent_at\":\"" + Instant.now() + "\"}").getBytes(StandardCharsets.US_ASCII);
                // gzip by hand: header, raw deflate, CRC32 and size trailer, all into one
                // reused array
                deflater.reset();
                crc.reset();
                int n = 0;
                out[n++] = 0x1f;
                out[n++] = (byte) 0x8b;
                out[n++] = 8;
                for (int i = 0; i < 7; i++) {
                    out[n++] = 0;
                }
                int total = 0;
                for (byte[] part : new byte[][] { PREFIX, null, suffix }) {
                    byte[] data = (part != null) ? part : batch.b;
                    int len = (part != null) ? part.length : batch.len;
                    crc.update(data, 0, len);
                    total += len;
                    deflater.setInput(data, 0, len);
                    while (!deflater.needsInput()) {
                        if (n == out.length) {
                            out = java.util.Arrays.copyOf(out, out.length * 2);
                        }
                        n += deflater.deflate(out, n, out.length - n, Deflater.NO_FLUSH);
                    }
                }
                deflater.finish();
                while (!deflater.finished()) {
                    if (n + 8 >= out.length) {
                        out = java.util.Arrays.copyOf(out, out.length * 2);
                    }
                    n += deflater.deflate(out, n, out.length - n - 8);
                }
                long c = crc.getValue();
                for (int i = 0; i < 4; i++) {
                    out[n++] = (byte) (c >>> (8 * i));
                }
                for (int i = 0; i < 4; i++) {
                    out[n++] = (byte) (total >>> (8 * i));
                }
                this.free.add(batch);
                HttpRequest req = HttpRequest.newBuilder(this.uri)
                    .header("Content-Type", "application/json")
                    .header("Content-Encoding", "gzip")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(out, 0, n))
                    .build();
                byte[] sent = out;
                this.http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, ex) -> {
                    outs.add(sent);
                    this.outstanding.decrementAndGet();
                });
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        finally {
            deflater.end();
        }
    }

    @Override
    public void flush() {
        for (Buf b : this.open) {
            synchronized (b) {
                if (b.events > 0) {
                    handOff(b);
                }
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (this.outstanding.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        flush();
        this.closed = true;
        for (Thread t : this.senders) {
            try {
                t.join(5_000);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
