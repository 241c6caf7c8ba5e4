package io.github.posthog4j.client.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;

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

    private static final SerializableString UUID = new SerializedString("uuid");

    private static final SerializableString EVENT = new SerializedString("event");

    private static final SerializableString DISTINCT_ID = new SerializedString("distinct_id");

    private static final SerializableString TIMESTAMP = new SerializedString("timestamp");

    private static final SerializableString PROPERTIES = new SerializedString("properties");

    private static final SerializableString LIB_KEY = new SerializedString("$lib");

    private static final SerializableString LIB_VALUE = new SerializedString(LIB);

    private static final SerializableString LIB_VERSION_KEY = new SerializedString("$lib_version");

    private static final SerializableString LIB_VERSION_VALUE = new SerializedString(LIB_VERSION);

    private static final SerializableString GEOIP = new SerializedString("$geoip_disable");

    private static final SerializableString PERSON_PROFILE = new SerializedString("$process_person_profile");

    private final JsonFactory factory = MAPPER.getFactory();

    /**
     * The last whole second formatted, e.g. {@code 2025-01-02T03:04:05}: consecutive
     * events share it.
     */
    private long cachedSecond = Long.MIN_VALUE;

    private String cachedSecondText;

    private final Buffer buffer = new Buffer(4096);

    private @Nullable JsonGenerator generator;

    private static final int MAX_ENCODED = 1024;

    private final Map<String, SerializableString> names = new HashMap<>();

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
        serializeInPlace(e, defaultDisableGeoip);
        return buffer.toByteArray();
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
        buffer.reset();
        JsonGenerator g = generator;
        boolean done = false;
        try {
            if (g == null) {
                // one generator for every event (a root value each, no separator):
                // creating
                // one per event costs more than writing a small event
                g = factory.createGenerator(buffer);
                g.setRootValueSeparator(null);
                generator = g;
            }
            g.writeStartObject();
            g.writeFieldName(UUID);
            g.writeString(e.uuid);
            g.writeFieldName(EVENT);
            g.writeString(encoded(e.event));
            g.writeFieldName(DISTINCT_ID);
            g.writeString(e.distinctId);
            g.writeFieldName(TIMESTAMP);
            g.writeString((e.timestamp != null) ? e.timestamp.toString() : formatMillis(e.capturedAtMillis));
            g.writeFieldName(PROPERTIES);
            g.writeStartObject();
            Map<String, Object> own = e.properties;
            boolean geoipWritten = false;
            boolean personWritten = false;
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
                    g.writeFieldName(encoded(key));
                    writeValue(g, p.getValue());
                }
            }
            for (Map.Entry<String, Object> p : e.superProperties.entrySet()) {
                String key = p.getKey();
                if (key == null || isLibKey(key) || (own != null && own.containsKey(key))) {
                    continue;
                }
                geoipWritten |= key.equals("$geoip_disable");
                personWritten |= key.equals("$process_person_profile");
                g.writeFieldName(encoded(key));
                writeValue(g, p.getValue());
            }
            g.writeFieldName(LIB_KEY);
            g.writeString(LIB_VALUE);
            g.writeFieldName(LIB_VERSION_KEY);
            g.writeString(LIB_VERSION_VALUE);
            boolean disableGeoip = (e.disableGeoip != null) ? e.disableGeoip : defaultDisableGeoip;
            if (disableGeoip && !geoipWritten) {
                g.writeFieldName(GEOIP);
                g.writeBoolean(true);
            }
            if (e.personless && !personWritten) {
                g.writeFieldName(PERSON_PROFILE);
                g.writeBoolean(false);
            }
            g.writeEndObject();
            g.writeEndObject();
            g.flush();
            done = true;
        }
        catch (InvalidEventException ex) {
            throw ex;
        }
        catch (IOException | RuntimeException | StackOverflowError ex) {
            throw new InvalidEventException(describe(ex));
        }
        finally {
            if (!done) {
                discard(g);
            }
        }
        return buffer.size();
    }

    /**
     * @return the buffer {@link #serializeInPlace} wrote to
     */
    byte[] bytes() {
        return buffer.array();
    }

    /**
     * Property names and event names repeat from event to event: their JSON form is
     * encoded once (up to {@value #MAX_ENCODED} names per serialiser).
     */
    private SerializableString encoded(String name) {
        SerializableString s = names.get(name);
        if (s == null) {
            s = new SerializedString(name);
            if (names.size() < MAX_ENCODED && name.length() <= 64) {
                names.put(name, s);
            }
        }
        return s;
    }

    /** A failed event leaves its generator mid-object: the next event gets a new one. */
    private void discard(@Nullable JsonGenerator g) {
        generator = null;
        if (g != null) {
            try {
                g.close();
            }
            catch (IOException | RuntimeException ex) {
                // it is dropped anyway
            }
        }
        buffer.reset();
    }

    private static boolean isLibKey(String key) {
        return key.equals("$lib") || key.equals("$lib_version");
    }

    private static void writeValue(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        }
        else if (value instanceof String s) {
            g.writeString(s);
        }
        else if (value instanceof Integer i) {
            g.writeNumber(i);
        }
        else if (value instanceof Long l) {
            g.writeNumber(l);
        }
        else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        }
        else if (value instanceof Double d && Double.isFinite(d)) {
            g.writeNumber(d);
        }
        else {
            MAPPER.writeValue(g, value);
        }
    }

    /**
     * Formats epoch milliseconds as RFC 3339 UTC with milliseconds, e.g.
     * {@code 2025-01-02T03:04:05.006Z}; the part up to the second is computed once per
     * second.
     */
    String formatMillis(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (second != cachedSecond) {
            String whole = Instant.ofEpochSecond(second).toString(); // "...:05Z"
            cachedSecondText = whole.substring(0, whole.length() - 1);
            cachedSecond = second;
        }
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

    private static String describe(Throwable ex) {
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
        buffer.reset();
        try {
            OutputStream out = gzip ? new FastGzip(buffer) : buffer;
            out.write(prefix);
            boolean first = true;
            for (QueuedEvent e : events) {
                if (!first) {
                    out.write(',');
                }
                out.write(e.json);
                first = false;
            }
            out.write(("],\"sent_at\":\"" + Instant.now() + "\"}").getBytes(StandardCharsets.US_ASCII));
            out.close();
        }
        catch (IOException ex) {
            throw new IllegalStateException("in-memory write failed", ex);
        }
        return buffer.toByteArray();
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

    /**
     * Gzip at the fastest level: bodies are JSON and compress well even so, and the
     * consumer stays quick.
     */
    private static final class FastGzip extends GZIPOutputStream {

        FastGzip(OutputStream out) throws IOException {
            super(out, 8192);
            def.setLevel(Deflater.BEST_SPEED);
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
