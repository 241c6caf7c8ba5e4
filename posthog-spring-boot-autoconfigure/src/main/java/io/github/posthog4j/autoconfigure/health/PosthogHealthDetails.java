package io.github.posthog4j.autoconfigure.health;

import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClientStatus;
import io.github.posthog4j.client.PosthogFlagsStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state and details of the {@code posthog} health component, shared by the Spring
 * Boot 3 and 4 indicators. Reads {@link ManagedPosthogClient#status()} only: no network
 * call, no secret.
 *
 * @param state {@code up}, {@code starting}, {@code stopped}, {@code degraded},
 * {@code unreachable} or {@code closed}
 * @param down whether the component should report DOWN
 * @param details the details to show
 */
public record PosthogHealthDetails(String state, boolean down, Map<String, Object> details) {

    /**
     * Computes the health of a client.
     * @param client the client
     * @param downWhenUnreachable whether an unreachable PostHog reports DOWN
     * ({@code posthog.health.down-when-unreachable})
     * @return the health
     */
    public static PosthogHealthDetails of(ManagedPosthogClient client, boolean downWhenUnreachable) {
        PosthogClientStatus s = client.status();
        String state;
        if (s.closed()) {
            state = "closed";
        }
        else if (s.backingOff()) {
            state = "unreachable";
        }
        else if (s.consecutiveFailures() > 0) {
            state = "degraded";
        }
        else if (!s.running()) {
            state = (s.consumerRestarts() == 0 && s.lastSuccessfulSend() == null) ? "starting" : "stopped";
        }
        else {
            state = "up";
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", state);
        details.put("running", s.running());
        details.put("queueSize", s.queueSize());
        details.put("queueCapacity", s.queueCapacity());
        details.put("consumersActive", s.consumersActive());
        details.put("captured", s.captured());
        details.put("sent", s.sent());
        details.put("dropped", s.droppedTotal());
        Map<String, Long> byReason = new LinkedHashMap<>();
        for (Map.Entry<DropReason, Long> e : s.dropped().entrySet()) {
            if (e.getValue() > 0) {
                byReason.put(e.getKey().tag(), e.getValue());
            }
        }
        details.put("droppedByReason", byReason);
        details.put("consecutiveFailures", s.consecutiveFailures());
        if (s.lastSuccessfulSend() != null) {
            details.put("lastSuccessfulSend", s.lastSuccessfulSend().toString());
        }
        if (s.lastError() != null) {
            details.put("lastError", s.lastError());
        }
        PosthogFlagsStatus flags = client.flagsStatus();
        if (flags.localEvaluation() || flags.remoteEvaluations() + flags.fallbackEvaluations() > 0) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("localEvaluation", flags.localEvaluation());
            f.put("pollerRunning", flags.pollerRunning());
            f.put("definitionsLoaded", flags.definitionsLoaded());
            f.put("flagCount", flags.flagCount());
            if (flags.definitionsAge() != null) {
                f.put("definitionsAgeSeconds", flags.definitionsAge().toSeconds());
            }
            if (flags.lastLoaderError() != null) {
                f.put("lastLoaderError", flags.lastLoaderError());
            }
            if (flags.lastRemoteError() != null) {
                f.put("lastRemoteError", flags.lastRemoteError());
            }
            details.put("featureFlags", f);
        }
        PosthogClientStatus ai = client.pipelineStatus().get("ai");
        if (ai != null) {
            // the AI pipeline's own queue and outage state (the top-level state is the
            // analytics pipeline's)
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("queueSize", ai.queueSize());
            a.put("queueCapacity", ai.queueCapacity());
            a.put("captured", ai.captured());
            a.put("sent", ai.sent());
            a.put("dropped", ai.droppedTotal());
            a.put("unreachable", ai.backingOff());
            if (ai.lastError() != null) {
                a.put("lastError", ai.lastError());
            }
            details.put("ai", a);
        }
        boolean down = downWhenUnreachable && s.backingOff();
        return new PosthogHealthDetails(state, down, details);
    }
}
