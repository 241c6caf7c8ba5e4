package io.github.posthog4j.client.internal.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.posthog4j.client.ServiceResource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The OTLP/JSON envelope of one request: exactly one resource (the service and the SDK)
 * with exactly one scope (the SDK) around the batch's records, e.g.
 * {@code {"resourceLogs":[{"resource":{...},"scopeLogs":[{"scope":{...},"logRecords":[
 * ... ]}]}]}}. Built once per delivering thread as a prefix and a suffix. Internal API.
 */
public final class OtlpEnvelope {

    /** The signals PostHog takes as OTLP. */
    public enum Signal {

        /** {@code resourceLogs[].scopeLogs[].logRecords[]}. */
        LOGS("resourceLogs", "scopeLogs", "logRecords"),

        /** {@code resourceSpans[].scopeSpans[].spans[]}. */
        TRACES("resourceSpans", "scopeSpans", "spans");

        private final String resources;

        private final String scopes;

        private final String records;

        Signal(String resources, String scopes, String records) {
            this.resources = resources;
            this.scopes = scopes;
            this.records = records;
        }

    }

    private static final JsonFactory FACTORY = new JsonFactory();

    private static final byte[] SUFFIX = "]}]}]}".getBytes(StandardCharsets.US_ASCII);

    private OtlpEnvelope() {
    }

    /**
     * @return the envelope after the last record
     */
    public static byte[] suffix() {
        return SUFFIX.clone();
    }

    /**
     * The envelope up to the first record.
     * @param signal logs or traces
     * @param service the service (configured name, version, environment, attributes)
     * @param sdkName the SDK's name ({@code telemetry.sdk.name} and the scope name)
     * @param sdkVersion the SDK's version
     * @return the bytes
     */
    public static byte[] prefix(Signal signal, ServiceResource service, String sdkName, String sdkVersion) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try {
            JsonGenerator g = FACTORY.createGenerator(out);
            g.writeStartObject();
            g.writeArrayFieldStart(signal.resources);
            g.writeStartObject();
            g.writeObjectFieldStart("resource");
            OtlpJson.writeAttributes(g, resourceAttributes(service, sdkName, sdkVersion));
            g.writeEndObject();
            g.writeArrayFieldStart(signal.scopes);
            g.writeStartObject();
            g.writeObjectFieldStart("scope");
            g.writeStringField("name", sdkName);
            g.writeStringField("version", sdkVersion);
            g.writeEndObject();
            g.writeArrayFieldStart(signal.records);
            // left open (never closed): the records and the suffix follow
            g.flush();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /**
     * The resource attributes: the host's and runtime's first, then the user's, then the
     * identity keys, which always win ({@code service.*}, {@code telemetry.sdk.*}).
     * @param service the service
     * @param sdkName the SDK's name
     * @param sdkVersion the SDK's version
     * @return the attributes, in order
     */
    public static Map<String, @Nullable Object> resourceAttributes(ServiceResource service, String sdkName,
            String sdkVersion) {
        Map<String, @Nullable Object> attributes = new LinkedHashMap<>();
        attributes.put("os.name", System.getProperty("os.name"));
        attributes.put("os.version", System.getProperty("os.version"));
        attributes.put("process.runtime.name", System.getProperty("java.runtime.name"));
        attributes.put("process.runtime.version", System.getProperty("java.runtime.version"));
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            attributes.put("host.name", host);
        }
        if (service.environment() != null) {
            attributes.put("deployment.environment", service.environment());
        }
        service.attributes().forEach((key, value) -> {
            if (!isIdentityKey(key)) {
                attributes.put(key, value);
            }
        });
        attributes.put("service.name", service.serviceName());
        if (service.serviceVersion() != null) {
            attributes.put("service.version", service.serviceVersion());
        }
        attributes.put("telemetry.sdk.name", sdkName);
        attributes.put("telemetry.sdk.version", sdkVersion);
        attributes.put("telemetry.sdk.language", "java");
        return attributes;
    }

    /**
     * @param key a resource attribute name
     * @return whether the SDK owns it ({@code service.*}, {@code telemetry.sdk.*})
     */
    public static boolean isIdentityKey(String key) {
        return key.startsWith("service.") || key.startsWith("telemetry.sdk.");
    }

}
