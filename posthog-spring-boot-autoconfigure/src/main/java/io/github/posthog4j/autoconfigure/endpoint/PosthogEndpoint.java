package io.github.posthog4j.autoconfigure.endpoint;

import io.github.posthog4j.autoconfigure.PosthogProperties;
import io.github.posthog4j.autoconfigure.health.PosthogHealthDetails;
import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClientStatus;
import io.github.posthog4j.client.PosthogFlagsStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code posthog} actuator endpoint ({@code /actuator/posthog} once exposed).
 *
 * <p>
 * Read: the delivery engine's state, the queue and its counters, the durable spool
 * (segments, bytes), the last delivery error, the feature flag definitions (count, age,
 * evaluations by source) and the effective {@code posthog.*} settings with every key
 * masked. Reading makes no network call and never shows a secret. Write: {@code flush}
 * sends what is queued now and reports how many events were sent.
 *
 * <p>
 * Exposure follows Spring Boot's rules: the endpoint exists while
 * {@code management.endpoint.posthog.access} allows it, and is reachable over HTTP only
 * when {@code management.endpoints.web.exposure.include} names it.
 */
@Endpoint(id = "posthog")
public class PosthogEndpoint {

    private final ManagedPosthogClient client;

    private final Supplier<PosthogProperties> properties;

    /**
     * Creates the endpoint.
     * @param client the client to report on
     * @param properties the {@code posthog.*} properties as they are now (bound again on
     * every read, like the client's own restart)
     */
    public PosthogEndpoint(ManagedPosthogClient client, Supplier<PosthogProperties> properties) {
        this.client = client;
        this.properties = properties;
    }

    /**
     * Describes the client.
     * @return {@code engine}, {@code queue}, {@code spool}, {@code featureFlags} and
     * {@code settings}
     */
    @ReadOperation
    public Map<String, Object> posthog() {
        PosthogClientStatus status = client.status();
        PosthogProperties current = properties.get();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("engine", engine(status));
        body.put("queue", queue(status));
        body.put("spool", SpoolDescription.of(current.getSpool()));
        body.put("featureFlags", featureFlags(client.flagsStatus()));
        body.put("settings", SettingsDescription.of(current));
        return body;
    }

    /**
     * Sends everything queued now and waits for it, at most
     * {@code posthog.flush-timeout}.
     * @return {@code sent} (events sent while waiting), {@code queueSize} afterwards and
     * {@code durationMillis}
     */
    @WriteOperation
    public Map<String, Object> flush() {
        long started = System.nanoTime();
        int sent = client.flush();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sent", sent);
        body.put("queueSize", client.status().queueSize());
        body.put("durationMillis", Duration.ofNanos(System.nanoTime() - started).toMillis());
        return body;
    }

    private Map<String, Object> engine(PosthogClientStatus s) {
        Map<String, Object> engine = new LinkedHashMap<>();
        engine.put("state", PosthogHealthDetails.of(client, false).state());
        engine.put("running", s.running());
        engine.put("closed", s.closed());
        engine.put("consumersActive", s.consumersActive());
        engine.put("consumerRestarts", s.consumerRestarts());
        engine.put("backingOff", s.backingOff());
        engine.put("consecutiveFailures", s.consecutiveFailures());
        engine.put("lastSuccessfulSend", (s.lastSuccessfulSend() != null) ? s.lastSuccessfulSend().toString() : null);
        engine.put("lastError", s.lastError());
        return engine;
    }

    private static Map<String, Object> queue(PosthogClientStatus s) {
        Map<String, Object> queue = new LinkedHashMap<>();
        queue.put("size", s.queueSize());
        queue.put("capacity", s.queueCapacity());
        queue.put("captured", s.captured());
        queue.put("sent", s.sent());
        queue.put("retries", s.retries());
        Map<String, Object> dropped = new LinkedHashMap<>();
        dropped.put("total", s.droppedTotal());
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason.tag(), s.dropped().getOrDefault(reason, 0L));
        }
        queue.put("dropped", dropped);
        return queue;
    }

    private static Map<String, Object> featureFlags(PosthogFlagsStatus f) {
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("localEvaluation", f.localEvaluation());
        flags.put("pollerRunning", f.pollerRunning());
        Map<String, Object> definitions = new LinkedHashMap<>();
        definitions.put("loaded", f.definitionsLoaded());
        definitions.put("count", f.flagCount());
        definitions.put("loadedAt", (f.definitionsLoadedAt() != null) ? f.definitionsLoadedAt().toString() : null);
        definitions.put("ageSeconds", (f.definitionsAge() != null) ? f.definitionsAge().toSeconds() : null);
        definitions.put("etag", f.definitionsEtag());
        definitions.put("lastError", f.lastLoaderError());
        flags.put("definitions", definitions);
        Map<String, Object> evaluations = new LinkedHashMap<>();
        evaluations.put("local", f.localEvaluations());
        evaluations.put("remote", f.remoteEvaluations());
        evaluations.put("fallback", f.fallbackEvaluations());
        evaluations.put("failed", f.failedEvaluations());
        flags.put("evaluations", evaluations);
        flags.put("lastRemoteError", f.lastRemoteError());
        return flags;
    }

}
