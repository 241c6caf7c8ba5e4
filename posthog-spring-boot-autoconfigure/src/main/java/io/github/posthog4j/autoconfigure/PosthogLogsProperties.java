package io.github.posthog4j.autoconfigure;

import io.github.posthog4j.client.LogsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * PostHog logs settings, {@code posthog.logs.*}: the Logback appender and the logs
 * pipeline of the client ({@code captureLog} works whether the appender is on or not).
 */
public class PosthogLogsProperties {

    /**
     * Whether the application's Logback log events are sent to PostHog logs (an appender
     * on the root logger, events at or above the level, with the request's PostHog
     * distinct id and session id). Needs Logback (Spring Boot's default logging).
     */
    private boolean enabled;

    /**
     * Lowest level of the log events sent by the appender: TRACE, DEBUG, INFO, WARN or
     * ERROR.
     */
    private String level = "WARN";

    /**
     * Loggers whose events are sent, by name or name prefix (a package); empty: every
     * logger.
     */
    private List<String> includeLoggers = new ArrayList<>();

    /**
     * Loggers whose events are never sent, by name or name prefix. The PostHog client's
     * own loggers are always left out.
     */
    private List<String> excludeLoggers = new ArrayList<>();

    /**
     * Whether the MDC entries of a log event are sent as attributes.
     */
    private boolean mdc = true;

    /**
     * Maximum time a log record waits in the queue before it is sent.
     */
    private Duration flushInterval = LogsConfig.DEFAULT_FLUSH_INTERVAL;

    /**
     * Number of queued log records that triggers a request.
     */
    private int flushAt = LogsConfig.DEFAULT_FLUSH_AT;

    /**
     * Maximum number of log records waiting; when full, the oldest is dropped for the new
     * one.
     */
    private int maxQueueSize = LogsConfig.DEFAULT_MAX_QUEUE_SIZE;

    /**
     * Maximum number of log records per request.
     */
    private int maxBatchSize = LogsConfig.DEFAULT_MAX_BATCH_SIZE;

    /**
     * Maximum number of log records accepted per rate-cap window; the rest are dropped (0
     * or less: no cap).
     */
    private int rateCapMaxLogs = LogsConfig.DEFAULT_RATE_CAP_MAX_LOGS;

    /**
     * Rate-cap window (a tumbling window; zero: no cap).
     */
    private Duration rateCapWindow = LogsConfig.DEFAULT_RATE_CAP_WINDOW;

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

    public String getLevel() {
        return this.level;
    }

    public void setLevel(String level) {
        this.level = level;
    }

    public List<String> getIncludeLoggers() {
        return this.includeLoggers;
    }

    public void setIncludeLoggers(List<String> includeLoggers) {
        this.includeLoggers = includeLoggers;
    }

    public List<String> getExcludeLoggers() {
        return this.excludeLoggers;
    }

    public void setExcludeLoggers(List<String> excludeLoggers) {
        this.excludeLoggers = excludeLoggers;
    }

    public boolean isMdc() {
        return this.mdc;
    }

    public void setMdc(boolean mdc) {
        this.mdc = mdc;
    }

    public Duration getFlushInterval() {
        return this.flushInterval;
    }

    public void setFlushInterval(Duration flushInterval) {
        this.flushInterval = flushInterval;
    }

    public int getFlushAt() {
        return this.flushAt;
    }

    public void setFlushAt(int flushAt) {
        this.flushAt = flushAt;
    }

    public int getMaxQueueSize() {
        return this.maxQueueSize;
    }

    public void setMaxQueueSize(int maxQueueSize) {
        this.maxQueueSize = maxQueueSize;
    }

    public int getMaxBatchSize() {
        return this.maxBatchSize;
    }

    public void setMaxBatchSize(int maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
    }

    public int getRateCapMaxLogs() {
        return this.rateCapMaxLogs;
    }

    public void setRateCapMaxLogs(int rateCapMaxLogs) {
        this.rateCapMaxLogs = rateCapMaxLogs;
    }

    public Duration getRateCapWindow() {
        return this.rateCapWindow;
    }

    public void setRateCapWindow(Duration rateCapWindow) {
        this.rateCapWindow = rateCapWindow;
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
