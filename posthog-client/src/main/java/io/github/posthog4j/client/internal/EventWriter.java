package io.github.posthog4j.client.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes JSON straight into a reusable byte array: strings (escaped exactly as Jackson
 * escapes them, UTF-8), integers, booleans, finite doubles and null; any other value
 * through Jackson. With the spool on this runs on every capturing thread, where a Jackson
 * generator's per-call overhead dominated the cost of a small event. Names that repeat
 * (property keys, event names) are encoded once. One per serialiser; not thread-safe.
 */
final class EventWriter {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    /** 0: as is; a letter: backslash + letter; 'u': \\u00XX. For ASCII below 128. */
    private static final byte[] ESCAPES = new byte[128];

    private static final int MAX_NAMES = 1024;

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = 'u';
        }
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\n'] = 'n';
        ESCAPES['\f'] = 'f';
        ESCAPES['\r'] = 'r';
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
    }

    private byte[] buf = new byte[1024];

    private int pos;

    private @Nullable JsonGenerator generator;

    /** Name to its JSON form followed by a colon. */
    private final Map<String, byte[]> names = new HashMap<>();

    /** Value to its JSON string form (event names). */
    private final Map<String, byte[]> values = new HashMap<>();

    void reset() {
        if (this.buf.length > 8 * 1024 * 1024) {
            this.buf = new byte[1024];
        }
        this.pos = 0;
    }

    int length() {
        return this.pos;
    }

    byte[] bytes() {
        return this.buf;
    }

    private void ensure(int more) {
        if (this.pos + more > this.buf.length) {
            this.buf = Arrays.copyOf(this.buf, Math.max(this.buf.length * 2, this.pos + more));
        }
    }

    void raw(char c) {
        ensure(1);
        this.buf[this.pos++] = (byte) c;
    }

    void raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, this.buf, this.pos, b.length);
        this.pos += b.length;
    }

    void raw(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, this.buf, this.pos, len);
        this.pos += len;
    }

    /**
     * A Jackson generator that writes into this writer's buffer (its own buffer is
     * flushed here by {@link JsonGenerator#flush()}), made once and kept: a generator's
     * creation costs more than a small record. Root values are not separated.
     * @return the generator
     * @throws java.io.IOException if it cannot be created
     */
    JsonGenerator generator() throws java.io.IOException {
        JsonGenerator g = this.generator;
        if (g == null) {
            g = EventSerializer.MAPPER.getFactory().createGenerator(stream());
            g.setRootValueSeparator(null);
            this.generator = g;
        }
        return g;
    }

    /**
     * After a failed write: the generator's state is unknown, the next call makes a new
     * one.
     */
    void discardGenerator() {
        this.generator = null;
    }

    private java.io.OutputStream stream() {
        return new java.io.OutputStream() {

            @Override
            public void write(int b) {
                raw((char) (b & 0xFF));
            }

            @Override
            public void write(byte[] b, int off, int len) {
                raw(b, off, len);
            }

        };
    }

    /** Writes {@code "name":}, encoded once for names that repeat. */
    void name(String name) throws EventSerializer.InvalidEventException {
        byte[] b = this.names.get(name);
        if (b == null) {
            int start = this.pos;
            string(name);
            raw(':');
            b = Arrays.copyOfRange(this.buf, start, this.pos);
            if (this.names.size() < MAX_NAMES && name.length() <= 64) {
                this.names.put(name, b);
            }
            return;
        }
        raw(b);
    }

    /** Writes a string value that repeats (an event name), encoded once. */
    void repeatedString(String value) throws EventSerializer.InvalidEventException {
        byte[] b = this.values.get(value);
        if (b == null) {
            int start = this.pos;
            string(value);
            if (this.values.size() < MAX_NAMES && value.length() <= 64) {
                this.values.put(value, Arrays.copyOfRange(this.buf, start, this.pos));
            }
            return;
        }
        raw(b);
    }

    /** Writes a JSON string: quoted, escaped as Jackson does, UTF-8. */
    void string(String s) throws EventSerializer.InvalidEventException {
        int n = s.length();
        ensure(n * 6 + 2); // worst case: every char as \\u00XX
        byte[] b = this.buf;
        int p = this.pos;
        b[p++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                byte e = ESCAPES[c];
                if (e == 0) {
                    b[p++] = (byte) c;
                }
                else if (e == 'u') {
                    b[p++] = '\\';
                    b[p++] = 'u';
                    b[p++] = '0';
                    b[p++] = '0';
                    b[p++] = HEX[c >> 4];
                    b[p++] = HEX[c & 0xF];
                }
                else {
                    b[p++] = '\\';
                    b[p++] = e;
                }
            }
            else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
            else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw new EventSerializer.InvalidEventException(
                            "a property value cannot be serialised to JSON (a string has a broken surrogate pair)");
                }
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[p++] = (byte) (0xF0 | (cp >> 18));
                b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (cp & 0x3F));
            }
            else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        b[p++] = '"';
        this.pos = p;
    }

    void number(long v) {
        if (v >= 0 && v < 10) {
            raw((char) ('0' + v));
            return;
        }
        ascii(Long.toString(v));
    }

    private void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            this.buf[this.pos++] = (byte) s.charAt(i);
        }
    }

    /**
     * Writes any property value: the common types here, the rest through Jackson.
     */
    void value(@Nullable Object value) throws EventSerializer.InvalidEventException {
        if (value == null) {
            ascii("null");
        }
        else if (value instanceof String s) {
            string(s);
        }
        else if (value instanceof Integer i) {
            number(i);
        }
        else if (value instanceof Long l) {
            number(l);
        }
        else if (value instanceof Boolean bool) {
            ascii(bool ? "true" : "false");
        }
        else if (value instanceof Double d && Double.isFinite(d)) {
            ascii(Double.toString(d));
        }
        else {
            try {
                raw(EventSerializer.MAPPER.writeValueAsBytes(value));
            }
            catch (JsonProcessingException | RuntimeException | StackOverflowError ex) {
                throw new EventSerializer.InvalidEventException(EventSerializer.describe(ex));
            }
        }
    }

}
