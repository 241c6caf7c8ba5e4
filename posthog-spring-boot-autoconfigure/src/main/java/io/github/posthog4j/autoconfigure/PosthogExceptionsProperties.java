package io.github.posthog4j.autoconfigure;

import io.github.posthog4j.client.PosthogClientBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Error tracking settings, {@code posthog.exceptions.*}.
 */
public class PosthogExceptionsProperties {

    /**
     * Whether exceptions are captured automatically as $exception events: those that
     * escape Spring MVC and WebFlux request handlers (client errors, 4xx, and clients
     * that went away are left out) and those of @Scheduled tasks. The responses are never
     * changed.
     */
    private boolean enabled = true;

    /**
     * Exception types never captured automatically (fully qualified class names; their
     * subclasses too).
     */
    private List<String> ignored = new ArrayList<>();

    /**
     * Whether uncaught exceptions of any thread are captured (a default uncaught
     * exception handler that hands on to the one installed before).
     */
    private boolean uncaughtHandler;

    /**
     * Maximum number of $exception events of the same exception (same types and innermost
     * frames, or the same custom fingerprint) sent per minute; the rest are dropped and
     * counted as rate_limited.
     */
    private int maxPerMinute = PosthogClientBuilder.DEFAULT_MAX_EXCEPTIONS_PER_MINUTE;

    /**
     * The application's packages, whose stack frames are marked in_app. Empty: the
     * packages of the application's @SpringBootApplication (its auto-configuration
     * packages).
     */
    private List<String> inAppPackages = new ArrayList<>();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<String> getIgnored() {
        return this.ignored;
    }

    public void setIgnored(List<String> ignored) {
        this.ignored = ignored;
    }

    public boolean isUncaughtHandler() {
        return this.uncaughtHandler;
    }

    public void setUncaughtHandler(boolean uncaughtHandler) {
        this.uncaughtHandler = uncaughtHandler;
    }

    public int getMaxPerMinute() {
        return this.maxPerMinute;
    }

    public void setMaxPerMinute(int maxPerMinute) {
        this.maxPerMinute = maxPerMinute;
    }

    public List<String> getInAppPackages() {
        return this.inAppPackages;
    }

    public void setInAppPackages(List<String> inAppPackages) {
        this.inAppPackages = inAppPackages;
    }

}
