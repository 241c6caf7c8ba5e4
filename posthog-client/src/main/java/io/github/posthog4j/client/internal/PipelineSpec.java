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
 */
record PipelineSpec(String name, String threadPrefix, Function<ClientSettings, PipelineLimits> limits,
        ProtocolFactory protocol, Function<ClientSettings, Boolean> zstdAllowed) {

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

    private static PipelineLimits aiLimits(ClientSettings s) {
        return new PipelineLimits(Math.min(s.flushAt(), AI_MAX_BATCH_SIZE), AI_MAX_BATCH_SIZE, s.flushInterval(),
                s.aiMaxQueueSize(), AI_MAX_BATCH_BYTES, AI_MAX_EVENT_BYTES, 1, s.maxRetries(), s.retryInitialBackoff(),
                s.retryMaxBackoff(), s.probeInterval(), s.maxProbeInterval(),
                PipelineLimits.RetryPolicy.KEEP_AND_PROBE);
    }

}
