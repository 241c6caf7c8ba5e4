package io.github.posthog4j.autoconfigure;

import io.github.posthog4j.client.TracesConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * PostHog traces settings, {@code posthog.traces.*}: the client's tracing and the bridge
 * from Micrometer observations.
 */
public class PosthogTracesProperties {

    /**
     * Whether spans are sent to PostHog traces: the client's startSpan and withSpan
     * record spans, and Micrometer observations (HTTP server and client requests,
     * {@code @Observed} methods, instrumented data access) become spans with the
     * request's PostHog distinct id and session id.
     */
    private boolean enabled;

    /**
     * Whether Micrometer observations become PostHog spans (when traces are enabled and
     * an ObservationRegistry exists).
     */
    private boolean observations = true;

    /**
     * Observations never turned into spans, by name or name prefix (e.g.
     * spring.security.).
     */
    private List<String> excludeObservations = new ArrayList<>();

    /**
     * Maximum time a finished span waits in the queue before it is sent.
     */
    private Duration flushInterval = TracesConfig.DEFAULT_FLUSH_INTERVAL;

    /**
     * Maximum number of finished spans waiting; when full, new spans are dropped.
     */
    private int maxQueueSize = TracesConfig.DEFAULT_MAX_QUEUE_SIZE;

    /**
     * Maximum number of spans per request; as many queued spans also trigger one.
     */
    private int maxExportBatchSize = TracesConfig.DEFAULT_MAX_EXPORT_BATCH_SIZE;

    /**
     * Maximum number of spans live (started, not ended) at once; beyond it new spans are
     * no-ops.
     */
    private int maxLiveSpans = TracesConfig.DEFAULT_MAX_LIVE_SPANS;

    /**
     * Maximum time a span may stay live; older ones are evicted and never sent.
     */
    private Duration maxSpanAge = TracesConfig.DEFAULT_MAX_SPAN_AGE;

    /**
     * Maximum number of attributes the application sets per span.
     */
    private int maxAttributesPerSpan = TracesConfig.DEFAULT_MAX_ATTRIBUTES_PER_SPAN;

    /**
     * Maximum number of events per span.
     */
    private int maxEventsPerSpan = TracesConfig.DEFAULT_MAX_EVENTS_PER_SPAN;

    /**
     * Service name sent as the resource attribute service.name; default:
     * spring.application.name, else unknown_service.
     */
    private @Nullable String serviceName;

    /**
     * Service version sent as the resource attribute service.version.
     */
    private @Nullable String serviceVersion;

    /**
     * Deployment environment sent as the resource attribute deployment.environment.
     */
    private @Nullable String environment;

    /**
     * Additional resource attributes (service.* and telemetry.sdk.* cannot be replaced).
     */
    private Map<String, String> resourceAttributes = new LinkedHashMap<>();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isObservations() {
        return this.observations;
    }

    public void setObservations(boolean observations) {
        this.observations = observations;
    }

    public List<String> getExcludeObservations() {
        return this.excludeObservations;
    }

    public void setExcludeObservations(List<String> excludeObservations) {
        this.excludeObservations = excludeObservations;
    }

    public Duration getFlushInterval() {
        return this.flushInterval;
    }

    public void setFlushInterval(Duration flushInterval) {
        this.flushInterval = flushInterval;
    }

    public int getMaxQueueSize() {
        return this.maxQueueSize;
    }

    public void setMaxQueueSize(int maxQueueSize) {
        this.maxQueueSize = maxQueueSize;
    }

    public int getMaxExportBatchSize() {
        return this.maxExportBatchSize;
    }

    public void setMaxExportBatchSize(int maxExportBatchSize) {
        this.maxExportBatchSize = maxExportBatchSize;
    }

    public int getMaxLiveSpans() {
        return this.maxLiveSpans;
    }

    public void setMaxLiveSpans(int maxLiveSpans) {
        this.maxLiveSpans = maxLiveSpans;
    }

    public Duration getMaxSpanAge() {
        return this.maxSpanAge;
    }

    public void setMaxSpanAge(Duration maxSpanAge) {
        this.maxSpanAge = maxSpanAge;
    }

    public int getMaxAttributesPerSpan() {
        return this.maxAttributesPerSpan;
    }

    public void setMaxAttributesPerSpan(int maxAttributesPerSpan) {
        this.maxAttributesPerSpan = maxAttributesPerSpan;
    }

    public int getMaxEventsPerSpan() {
        return this.maxEventsPerSpan;
    }

    public void setMaxEventsPerSpan(int maxEventsPerSpan) {
        this.maxEventsPerSpan = maxEventsPerSpan;
    }

    public @Nullable String getServiceName() {
        return this.serviceName;
    }

    public void setServiceName(@Nullable String serviceName) {
        this.serviceName = serviceName;
    }

    public @Nullable String getServiceVersion() {
        return this.serviceVersion;
    }

    public void setServiceVersion(@Nullable String serviceVersion) {
        this.serviceVersion = serviceVersion;
    }

    public @Nullable String getEnvironment() {
        return this.environment;
    }

    public void setEnvironment(@Nullable String environment) {
        this.environment = environment;
    }

    public Map<String, String> getResourceAttributes() {
        return this.resourceAttributes;
    }

    public void setResourceAttributes(Map<String, String> resourceAttributes) {
        this.resourceAttributes = resourceAttributes;
    }

}
