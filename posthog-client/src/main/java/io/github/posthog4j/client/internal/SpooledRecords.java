package io.github.posthog4j.client.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.posthog4j.client.internal.otlp.OtlpRecord;
import io.github.posthog4j.client.internal.spool.SpoolRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * How the logs pipeline's records live in its spool ({@link SpoolPump.Codec}): a log
 * record is spooled as {@code {"uuid":"<uuid>","record":<the OTLP logRecord>}} (the spool
 * reads every record's uuid first), written on the capturing thread into a pooled
 * serialiser's buffer, and read back as the OTLP {@code logRecord} alone, which the
 * protocol frames unchanged: the OTLP payload is built at flush time from the persisted
 * record, as the logs specification asks.
 */
final class SpooledRecords implements SpoolPump.Codec {

    private static final byte[] PREFIX = "{\"uuid\":\"".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] RECORD = "\",\"record\":".getBytes(StandardCharsets.US_ASCII);

    /** The length of the spooled form before the record: the prefix, a uuid, the name. */
    private static final int HEAD = PREFIX.length + 36 + RECORD.length;

    /** The logs pipeline's codec. */
    static final SpooledRecords LOGS = new SpooledRecords("log records");

    private final String carries;

    private SpooledRecords(String carries) {
        this.carries = carries;
    }

    @Override
    public int write(QueuedEvent e, EventSerializer serializer, ClientSettings s)
            throws EventSerializer.InvalidEventException {
        OtlpRecord record = e.signal;
        if (record == null || e.uuid.length() != 36) {
            throw new EventSerializer.InvalidEventException("it is not a log record");
        }
        EventWriter w = serializer.writer();
        w.reset();
        w.raw(PREFIX);
        w.raw(e.uuid.getBytes(StandardCharsets.US_ASCII));
        w.raw(RECORD);
        try {
            JsonGenerator g = w.generator();
            record.write(g);
            g.flush();
        }
        catch (IOException | RuntimeException | StackOverflowError ex) {
            w.discardGenerator();
            throw new EventSerializer.InvalidEventException(
                    "it cannot be written as OTLP JSON (" + ex.getClass().getSimpleName() + ")");
        }
        w.raw('}');
        return w.length();
    }

    @Override
    public @Nullable QueuedEvent read(SpoolRecord r) {
        byte[] spooled = r.json();
        if (spooled.length < HEAD + 3 || spooled[spooled.length - 1] != '}'
                || !Arrays.equals(spooled, HEAD - RECORD.length, HEAD, RECORD, 0, RECORD.length)
                || spooled[HEAD] != '{') {
            return null;
        }
        QueuedEvent e = QueuedEvent.fromSpool(r);
        e.json = Arrays.copyOfRange(spooled, HEAD, spooled.length - 1);
        return e;
    }

    @Override
    public int maxRecordBytes(ClientSettings s) {
        return PipelineSpec.OTLP_MAX_RECORD_BYTES;
    }

    @Override
    public int maxBatchBytes(ClientSettings s) {
        return PipelineSpec.OTLP_MAX_BATCH_BYTES;
    }

    @Override
    public String carries() {
        return this.carries;
    }

}
