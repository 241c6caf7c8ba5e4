package io.github.posthog4j.client;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of a client's state and counters. Contains no secrets.
 *
 * @param running whether the delivery engine is running
 * @param closed whether the client is closed
 * @param queueSize events waiting in the queue (including those handed back by stopped
 * consumers)
 * @param queueCapacity the queue's capacity
 * @param consumersActive consumer threads alive
 * @param captured events accepted into the queue since the client was created
 * @param sent events PostHog acknowledged
 * @param dropped events dropped, by reason (every reason present, zeros included)
 * @param retries request attempts that were retries
 * @param consumerRestarts how many times the engine was started after its first start
 * @param lastSuccessfulSend when PostHog last acknowledged a batch, or null
 * @param consecutiveFailures failed request attempts since the last success
 * @param lastError the last delivery error (status or exception class and message), or
 * null
 * @param backingOff whether the engine has paused draining after exhausting retries
 * (PostHog unreachable)
 */
public record PosthogClientStatus(boolean running, boolean closed, int queueSize, int queueCapacity,
        int consumersActive, long captured, long sent, Map<DropReason, Long> dropped, long retries,
        long consumerRestarts, @Nullable Instant lastSuccessfulSend, int consecutiveFailures,
        @Nullable String lastError, boolean backingOff) {

    /**
     * @return the total of all dropped events
     */
    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }
}
