package io.github.posthog4j.client.internal;

import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.Map;

/**
 * Turns events into JSON bytes and batches into request bodies. One instance per
 * delivering thread (it reuses a buffer); the {@link ObjectMapper} is shared.
 */
final class EventSerializer {

    /** The library name sent as {@code $lib}. */
    static final String LIB = "posthog-spring-boot";

    /** The library version sent as {@code $lib_version}. */
    static final String LIB_VERSION = LibraryVersion.get();

    /**
     * Deep enough for real data, shallow enough to turn a reference cycle into an error
     * quickly.
     */
    private static final int MAX_NESTING = 200;

    static final ObjectMapper MAPPER = createMapper();

    /**
     * The last whole second formatted, e.g. {@code 2025-01-02T03:04:05}: consecutive
     * events share it.
     */
    private long cachedSecond = Long.MIN_VALUE;

    private String cachedSecondText;

    /** {@link #cachedSecondText} as a JSON string's opening: a quote and ASCII bytes. */
    private byte[] cachedSecondJson;

    private final Buffer buffer = new Buffer(4096);

    private final EventWriter writer = new EventWriter();

    /** This thread's compressor: one reused {@link java.util.zip.Deflater}. */
    private final Gzip gzip = new Gzip();

    private static final byte[] UUID_PREFIX = ascii("{\"uuid\":");

    private static final byte[] EVENT_NAME = ascii(",\"event\":");

    private static final byte[] DISTINCT_ID_NAME = ascii(",\"distinct_id\":");

    private static final byte[] TIMESTAMP_NAME = ascii(",\"timestamp\":");

    private static final byte[] PROPERTIES_NAME = ascii(",\"properties\":{");

    private static final byte[] LIB_FIELDS = ("\"$lib\":" + quoted(LIB) + ",\"$lib_version\":" + quoted(LIB_VERSION))
        .getBytes(StandardCharsets.UTF_8);

    private static final byte[] GEOIP_FIELD = ascii(",\"$geoip_disable\":true");

    private static final byte[] PERSON_PROFILE_FIELD = ascii(",\"$process_person_profile\":false");

    private static final byte[] END = ascii("}}");

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String quoted(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static ObjectMapper createMapper() {
        SimpleModule javaTime = new SimpleModule("posthog-java-time");
        // java.time values as ISO-8601 strings, without requiring
        // jackson-datatype-jsr310.
        javaTime.addSerializer(TemporalAccessor.class, ToStringSerializer.instance);
        JsonMapper mapper = JsonMapper.builder()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .addModule(javaTime)
            .build();
        mapper.getFactory()
            .setStreamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_NESTING).build());
        return mapper;
    }

    /**
     * Serialises one event.
     * @param e the event
     * @param defaultDisableGeoip the client's GeoIP setting
     * @return the JSON bytes
     * @throws InvalidEventException if a property cannot be serialised
     */
    byte[] serialize(QueuedEvent e, boolean defaultDisableGeoip) throws InvalidEventException {
        int length = serializeInPlace(e, defaultDisableGeoip);
        return java.util.Arrays.copyOf(writer.bytes(), length);
    }

    /**
     * Serialises one event into this serialiser's buffer (no copy): the bytes are
     * {@link #bytes()} up to the returned length, valid until the next call.
     * @param e the event
     * @param defaultDisableGeoip the client's GeoIP setting
     * @return the length of the JSON
     * @throws InvalidEventException if a property cannot be serialised
     */
    int serializeInPlace(QueuedEvent e, boolean defaultDisableGeoip) throws InvalidEventException {
        EventWriter w = writer;
        w.reset();
        w.raw(UUID_PREFIX);
        w.string(e.uuid);
        w.raw(EVENT_NAME);
        w.repeatedString(e.event);
        w.raw(DISTINCT_ID_NAME);
        if (e.distinctId != null) {
            w.string(e.distinctId);
        }
        else {
            w.value(null);
        }
        w.raw(TIMESTAMP_NAME);
        if (e.timestamp != null) {
            w.string(e.timestamp.toString());
        }
        else {
            writeMillis(w, e.capturedAtMillis);
        }
        w.raw(PROPERTIES_NAME);
        Map<String, Object> own = e.properties;
        boolean geoipWritten = false;
        boolean personWritten = false;
        boolean first = true;
        if (own != null) {
            for (Map.Entry<String, Object> p : own.entrySet()) {
                String key = p.getKey();
                if (key == null) {
                    throw new InvalidEventException("a property name is null");
                }
                if (isLibKey(key)) {
                    continue;
                }
                geoipWritten |= key.equals("$geoip_disable");
                personWritten |= key.equals("$process_person_profile");
                if (!first) {
                    w.raw(',');
                }
                first = false;
                w.name(key);
                w.value(p.getValue());
            }
        }
        for (Map.Entry<String, Object> p : e.superProperties.entrySet()) {
            String key = p.getKey();
            if (key == null || isLibKey(key) || (own != null && own.containsKey(key))) {
                continue;
            }
            geoipWritten |= key.equals("$geoip_disable");
            personWritten |= key.equals("$process_person_profile");
            if (!first) {
                w.raw(',');
            }
            first = false;
            w.name(key);
            w.value(p.getValue());
        }
        if (!first) {
            w.raw(',');
        }
        w.raw(LIB_FIELDS);
        boolean disableGeoip = (e.disableGeoip != null) ? e.disableGeoip : defaultDisableGeoip;
        if (disableGeoip && !geoipWritten) {
            w.raw(GEOIP_FIELD);
        }
        if (e.personless && !personWritten) {
            w.raw(PERSON_PROFILE_FIELD);
        }
        w.raw(END);
        return w.length();
    }

    /**
     * @return this serialiser's writer (its buffer is {@link #bytes()}), for records
     * serialised by another format
     */
    EventWriter writer() {
        return writer;
    }

    /**
     * @return the buffer {@link #serializeInPlace} wrote to
     */
    byte[] bytes() {
        return writer.bytes();
    }

    private static boolean isLibKey(String key) {
        return key.equals("$lib") || key.equals("$lib_version");
    }

    /**
     * Formats epoch milliseconds as RFC 3339 UTC with milliseconds, e.g.
     * {@code 2025-01-02T03:04:05.006Z}; the part up to the second is computed once per
     * second.
     */
    private void cacheSecond(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (second != cachedSecond) {
            String whole = Instant.ofEpochSecond(second).toString(); // "...:05Z"
            cachedSecondText = whole.substring(0, whole.length() - 1);
            cachedSecondJson = ("\"" + cachedSecondText).getBytes(StandardCharsets.US_ASCII);
            cachedSecond = second;
        }
    }

    /** Writes {@link #formatMillis} as a JSON string, without making the string. */
    private void writeMillis(EventWriter w, long epochMillis) {
        cacheSecond(epochMillis);
        int millis = (int) Math.floorMod(epochMillis, 1000);
        w.raw(cachedSecondJson);
        w.raw('.');
        w.raw((char) ('0' + millis / 100));
        w.raw((char) ('0' + (millis / 10) % 10));
        w.raw((char) ('0' + millis % 10));
        w.raw('Z');
        w.raw('"');
    }

    String formatMillis(long epochMillis) {
        cacheSecond(epochMillis);
        int millis = (int) Math.floorMod(epochMillis, 1000);
        char[] out = new char[cachedSecondText.length() + 5];
        cachedSecondText.getChars(0, cachedSecondText.length(), out, 0);
        int i = cachedSecondText.length();
        out[i] = '.';
        out[i + 1] = (char) ('0' + millis / 100);
        out[i + 2] = (char) ('0' + (millis / 10) % 10);
        out[i + 3] = (char) ('0' + millis % 10);
        out[i + 4] = 'Z';
        return new String(out);
    }

    static String describe(Throwable ex) {
        if (ex instanceof StackOverflowError) {
            return "its properties contain a reference cycle or are nested too deeply";
        }
        String message = ex.getMessage();
        if (message != null) {
            int newline = message.indexOf('\n');
            if (newline > 0) {
                message = message.substring(0, newline);
            }
            if (message.length() > 300) {
                message = message.substring(0, 300) + "...";
            }
        }
        String text = ex.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
        if (message != null && message.contains("nesting depth")) {
            return "its properties contain a reference cycle or are nested deeper than " + MAX_NESTING + " levels ("
                    + text + ")";
        }
        return "a property value cannot be serialised to JSON (" + text + ")";
    }

    /**
     * The constant part of a batch envelope before the events.
     * @param apiKey the API key
     * @param historicalMigration the flag
     * @return bytes of {@code {"api_key":"...","historical_migration":false,"batch":[}}
     */
    static byte[] envelopePrefix(String apiKey, boolean historicalMigration) {
        try {
            String key = MAPPER.writeValueAsString(apiKey);
            return ("{\"api_key\":" + key + ",\"historical_migration\":" + historicalMigration + ",\"batch\":[")
                .getBytes(StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot encode the API key", ex);
        }
    }

    /**
     * @return the bytes the envelope adds besides the prefix and the commas
     */
    static int envelopeSuffixLength() {
        return "],\"sent_at\":\"2025-01-01T00:00:00.000000Z\"}".length();
    }

    /**
     * Builds a request body.
     * @param prefix the envelope prefix
     * @param events serialised events
     * @param gzip whether to compress
     * @return the body
     */
    byte[] body(byte[] prefix, Iterable<QueuedEvent> events, boolean gzip) {
        return body(prefix, events, (e) -> e.json,
                ("],\"sent_at\":\"" + Instant.now() + "\"}").getBytes(StandardCharsets.US_ASCII),
                gzip ? ContentEncoding.GZIP : ContentEncoding.NONE);
    }

    /**
     * Builds a request body: the prefix, the records separated by commas, the suffix,
     * compressed as asked.
     * @param prefix the envelope up to the first record
     * @param events the events
     * @param record an event's record bytes
     * @param suffix the envelope after the last record
     * @param encoding how to compress
     * @return the body
     */
    byte[] body(byte[] prefix, Iterable<QueuedEvent> events, java.util.function.Function<QueuedEvent, byte[]> record,
            byte[] suffix, ContentEncoding encoding) {
        buffer.reset();
        buffer.write(prefix, 0, prefix.length);
        boolean first = true;
        for (QueuedEvent e : events) {
            if (!first) {
                buffer.write(',');
            }
            byte[] json = record.apply(e);
            buffer.write(json, 0, json.length);
            first = false;
        }
        buffer.write(suffix, 0, suffix.length);
        return switch (encoding) {
            case GZIP -> this.gzip.compress(buffer.array(), buffer.size());
            case ZSTD -> ContentEncoding.zstd(buffer.toByteArray());
            case NONE -> buffer.toByteArray();
        };
    }

    /** A growable byte buffer whose content can be copied out. */
    private static final class Buffer extends ByteArrayOutputStream {

        Buffer(int size) {
            super(size);
        }

        byte[] array() {
            return buf;
        }

        @Override
        public void close() {
        }

        @Override
        public synchronized void reset() {
            super.reset();
            if (buf.length > 8 * 1024 * 1024) {
                buf = new byte[4096];
            }
        }

    }

    /** An event that cannot be serialised. */
    static final class InvalidEventException extends Exception {

        private static final long serialVersionUID = 1L;

        InvalidEventException(String message) {
            super(message, null, false, false);
        }

    }

}
