package io.github.posthog4j.client;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The service that log records and spans come from, as the OpenTelemetry resource PostHog
 * receives: {@code service.name} (always sent: the configured name, else
 * {@code unknown_service}), {@code service.version} and {@code deployment.environment}
 * when set, the user's resource attributes, and the client's own identity
 * ({@code telemetry.sdk.*}, {@code os.*}, which user attributes cannot replace). The same
 * vocabulary for logs ({@link LogsConfig}) and traces ({@link TracesConfig}). Immutable.
 */
public final class ServiceResource {

    /** The {@code service.name} sent when none is configured. */
    public static final String UNKNOWN_SERVICE = "unknown_service";

    private final @Nullable String serviceName;

    private final @Nullable String serviceVersion;

    private final @Nullable String environment;

    private final Map<String, @Nullable Object> attributes;

    ServiceResource(@Nullable String serviceName, @Nullable String serviceVersion, @Nullable String environment,
            Map<String, @Nullable Object> attributes) {
        this.serviceName = blankToNull(serviceName);
        this.serviceVersion = blankToNull(serviceVersion);
        this.environment = blankToNull(environment);
        this.attributes = attributes.isEmpty() ? Collections.emptyMap()
                : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return (s == null || s.isBlank()) ? null : s.strip();
    }

    /**
     * @return the configured service name, or {@value #UNKNOWN_SERVICE}
     */
    public String serviceName() {
        return (this.serviceName != null) ? this.serviceName : UNKNOWN_SERVICE;
    }

    /**
     * @return the service version, or null
     */
    public @Nullable String serviceVersion() {
        return this.serviceVersion;
    }

    /**
     * @return the deployment environment, or null
     */
    public @Nullable String environment() {
        return this.environment;
    }

    /**
     * @return the user's resource attributes, unmodifiable
     */
    public Map<String, @Nullable Object> attributes() {
        return this.attributes;
    }

    static void positive(String name, @Nullable Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new PosthogConfigurationException(name, name + " is " + value + ": it must be a positive duration.");
        }
    }

    static void atLeastOne(String name, int value) {
        if (value < 1) {
            throw new PosthogConfigurationException(name, name + " is " + value + ": it must be at least 1.");
        }
    }

    @Override
    public boolean equals(Object o) {
        return (o instanceof ServiceResource other) && Objects.equals(this.serviceName, other.serviceName)
                && Objects.equals(this.serviceVersion, other.serviceVersion)
                && Objects.equals(this.environment, other.environment) && this.attributes.equals(other.attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(this.serviceName, this.serviceVersion, this.environment, this.attributes);
    }

    @Override
    public String toString() {
        return "service=" + serviceName() + ((this.serviceVersion != null) ? "@" + this.serviceVersion : "")
                + ((this.environment != null) ? " (" + this.environment + ")" : "");
    }

}
