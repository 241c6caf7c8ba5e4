package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.CaptureProtocol;
import io.github.posthog4j.client.RequestReport;
import java.util.function.Function;

/**
 * What makes one delivery pipeline different from another; everything else (queue,
 * dispatcher, outage backoff, results, sender, consumer threads, flush and close) is the
 * same machinery, built per pipeline by {@link Pipeline}. A new pipeline (logs, traces)
 * is a new spec: a name, a thread name prefix, its limits (batching, sizes, retries and
 * the {@link PipelineLimits.RetryPolicy}) and its {@link WireProtocol} (route, envelope,
 * response reading).
 *
 * @param name the pipeline's name in metrics, status and request reports
 * @param threadPrefix the consumer threads' name prefix
 * @param limits the pipeline's limits from the client settings
 * @param protocol builds the wire protocol of one delivering thread
 * @param zstdAllowed whether the pipeline's endpoint accepts zstd bodies
 * @param format builds the record serialiser of one delivering thread (events: the
 * analytics event JSON; logs and traces: the OTLP record)
 */
record PipelineSpec(String name, String threadPrefix, Function<ClientSettings, PipelineLimits> limits,
        ProtocolFactory protocol, Function<ClientSettings, Boolean> zstdAllowed, FormatFactory format) {

    /**
     * A spec whose records are analytics events ({@link EventSerializer}).
     * @param name the pipeline's name
     * @param threadPrefix the consumer threads' name prefix
     * @param limits the pipeline's limits
     * @param protocol the wire protocol
     * @param zstdAllowed whether the endpoint accepts zstd bodies
     */
    PipelineSpec(String name, String threadPrefix, Function<ClientSettings, PipelineLimits> limits,
            ProtocolFactory protocol, Function<ClientSettings, Boolean> zstdAllowed) {
        this(name, threadPrefix, limits, protocol, zstdAllowed, FormatFactory.EVENTS);
    }

    /** The largest request body of the OTLP routes before compression (PostHog: 2 MB). */
    static final int OTLP_MAX_BATCH_BYTES = 1536 * 1024;

    /** The largest OTLP record: one that travels alone still fits the 2 MB body. */
    static final int OTLP_MAX_RECORD_BYTES = 2 * 1024 * 1024 - 64 * 1024;

    /** Serialises one record of a pipeline, on its delivering thread. */
    interface RecordFormat {

        /**
         * @param e the record
         * @return its JSON
         * @throws EventSerializer.InvalidEventException if it cannot be serialised
         */
        byte[] serialize(QueuedEvent e) throws EventSerializer.InvalidEventException;

    }

    /** Builds a delivering thread's record format. */
    interface FormatFactory {

        /** Analytics and AI events: {@link EventSerializer#serialize}. */
        FormatFactory EVENTS = (s, serializer) -> (e) -> serializer.serialize(e, s.disableGeoip());

        /** Log records and spans: their OTLP JSON ({@link OtlpFormat}). */
        FormatFactory OTLP = (s, serializer) -> new OtlpFormat();

        /**
         * @param settings the settings of this engine run
         * @param serializer the thread's event serializer
         * @return the format
         */
        RecordFormat create(ClientSettings settings, EventSerializer serializer);

    }

    /**
     * The AI route's per-event cap (PostHog's operational value for
     * {@code /i/v0/ai/batch/}).
     */
    static final int AI_MAX_EVENT_BYTES = 8 * 1024 * 1024;

    /** The AI route's request size target. */
    static final int AI_MAX_BATCH_BYTES = 5 * 1024 * 1024;

    /** The most AI events taken for one delivery. */
    static final int AI_MAX_BATCH_SIZE = 100;

    /** Builds a delivering thread's protocol. */
    interface ProtocolFactory {

        /**
         * @param settings the settings of this engine run
         * @param serializer the thread's serializer (and buffer)
         * @return the protocol
         */
        WireProtocol create(ClientSettings settings, EventSerializer serializer);

    }

    /**
     * @return the analytics events pipeline: capture v0 ({@code /batch/}) or v1
     * ({@code /i/v1/analytics/events}) as the settings say, the client's own limits,
     * batches kept and probed after their retries
     */
    static PipelineSpec events() {
        return new PipelineSpec(RequestReport.EVENTS, "posthog-consumer-", PipelineLimits::events,
                (s, serializer) -> (s.captureProtocol() == CaptureProtocol.V1)
                        ? new V1AnalyticsProtocol(s.apiKey(), s.historicalMigration(), serializer)
                        : new V0BatchProtocol(V0BatchProtocol.BATCH_PATH, s.apiKey(), s.historicalMigration(),
                                serializer),
                (s) -> s.captureProtocol() == CaptureProtocol.V1);
    }

    /**
     * @return the AI pipeline: {@code /i/v0/ai/batch/} in the v0 batch shape, 8 MiB per
     * event, about 5 MiB per request, at most 100 events per delivery, its own queue
     * ({@code aiMaxQueueSize}), one consumer thread, the client's retry settings, batches
     * kept and probed after their retries
     */
    static PipelineSpec ai() {
        return new PipelineSpec(RequestReport.AI, "posthog-ai-consumer-", PipelineSpec::aiLimits,
                (s, serializer) -> new V0BatchProtocol(V0BatchProtocol.AI_BATCH_PATH, s.apiKey(), false, serializer),
                (s) -> false);
    }

    /**
     * @return the logs pipeline: {@code /i/v1/logs?token=...} with the OTLP logs
     * envelope, the limits of {@link io.github.posthog4j.client.LogsConfig}, about 1.5
     * MiB per request, one consumer thread, the client's retry settings, batches dropped
     * after their retries (the logs specification)
     */
    static PipelineSpec logs() {
        return new PipelineSpec(RequestReport.LOGS, "posthog-logs-consumer-", PipelineSpec::logsLimits,
                (s, serializer) -> OtlpProtocol.logs(s, serializer), (s) -> false, FormatFactory.OTLP);
    }

    /**
     * @return the traces pipeline: {@code /i/v1/traces} with a bearer token and the OTLP
     * traces envelope, the limits of {@link io.github.posthog4j.client.TracesConfig}, one
     * consumer thread, batches dropped after their retries (the traces specification)
     */
    static PipelineSpec traces() {
        return new PipelineSpec(RequestReport.TRACES, "posthog-traces-consumer-", PipelineSpec::tracesLimits,
                (s, serializer) -> OtlpProtocol.traces(s, serializer), (s) -> false, FormatFactory.OTLP);
    }

    private static PipelineLimits logsLimits(ClientSettings s) {
        io.github.posthog4j.client.LogsConfig l = s.logs();
        return new PipelineLimits(l.flushAt(), l.maxBatchSize(), l.flushInterval(), l.maxQueueSize(),
                OTLP_MAX_BATCH_BYTES, OTLP_MAX_RECORD_BYTES, 1, s.maxRetries(), s.retryInitialBackoff(),
                s.retryMaxBackoff(), s.probeInterval(), s.maxProbeInterval(), PipelineLimits.RetryPolicy.DROP);
    }

    private static PipelineLimits tracesLimits(ClientSettings s) {
        io.github.posthog4j.client.TracesConfig t = (s.traces() != null) ? s.traces()
                : io.github.posthog4j.client.TracesConfig.defaults();
        return new PipelineLimits(t.maxExportBatchSize(), t.maxExportBatchSize(), t.flushInterval(), t.maxQueueSize(),
                OTLP_MAX_BATCH_BYTES, OTLP_MAX_RECORD_BYTES, 1, s.maxRetries(), s.retryInitialBackoff(),
                s.retryMaxBackoff(), s.probeInterval(), s.maxProbeInterval(), PipelineLimits.RetryPolicy.DROP);
    }

    private static PipelineLimits aiLimits(ClientSettings s) {
        return new PipelineLimits(Math.min(s.flushAt(), AI_MAX_BATCH_SIZE), AI_MAX_BATCH_SIZE, s.flushInterval(),
                s.aiMaxQueueSize(), AI_MAX_BATCH_BYTES, AI_MAX_EVENT_BYTES, 1, s.maxRetries(), s.retryInitialBackoff(),
                s.retryMaxBackoff(), s.probeInterval(), s.maxProbeInterval(),
                PipelineLimits.RetryPolicy.KEEP_AND_PROBE);
    }

}
