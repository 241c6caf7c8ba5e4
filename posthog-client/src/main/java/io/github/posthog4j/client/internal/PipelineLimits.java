package io.github.posthog4j.client.internal;

import java.time.Duration;

/**
 * The batching, size and retry limits of one delivery pipeline, derived from the client
 * settings by its {@link PipelineSpec}. The parts of a pipeline ({@link Dispatcher},
 * {@link OutageBackoff}, {@link BatchSender}, {@link DeliveryEngine}) read these, never
 * the settings of another pipeline.
 *
 * @param flushAt queued records that wake a consumer
 * @param maxBatchSize most records taken for one delivery
 * @param flushInterval longest wait of a queued record
 * @param maxQueueSize capacity of the pipeline's queue
 * @param maxBatchBytes target size of one request body before compression (a single
 * record larger than this, but within {@code maxEventBytes}, travels alone)
 * @param maxEventBytes largest serialised record; larger ones are dropped
 * @param consumerThreads consumer threads of the pipeline
 * @param maxRetries retries of a request after its first attempt
 * @param retryInitialBackoff first retry's backoff
 * @param retryMaxBackoff retry backoff cap (and cap of a {@code Retry-After})
 * @param probeInterval pause before the first probe of an outage
 * @param maxProbeInterval cap of the pause between probes
 * @param retryPolicy what happens once a request used its retries
 */
record PipelineLimits(int flushAt, int maxBatchSize, Duration flushInterval, int maxQueueSize, int maxBatchBytes,
        int maxEventBytes, int consumerThreads, int maxRetries, Duration retryInitialBackoff, Duration retryMaxBackoff,
        Duration probeInterval, Duration maxProbeInterval, RetryPolicy retryPolicy) {

    /** What a pipeline does with a request that used its retries. */
    enum RetryPolicy {

        /**
         * The batch goes back to the head of the line and the pipeline probes PostHog
         * with a growing pause ({@link OutageBackoff}) until it answers: nothing is
         * dropped for an outage (events, AI).
         */
        KEEP_AND_PROBE,

        /**
         * The batch is dropped ({@code retries_exhausted}) and the pipeline goes on with
         * the next one (the logs spec's rule).
         */
        DROP

    }

    /**
     * @param s the client settings
     * @return the analytics events pipeline's limits: the client's settings as they are
     */
    static PipelineLimits events(ClientSettings s) {
        return new PipelineLimits(s.flushAt(), s.maxBatchSize(), s.flushInterval(), s.maxQueueSize(), s.maxBatchBytes(),
                s.maxEventBytes(), s.consumerThreads(), s.maxRetries(), s.retryInitialBackoff(), s.retryMaxBackoff(),
                s.probeInterval(), s.maxProbeInterval(), RetryPolicy.KEEP_AND_PROBE);
    }

}
