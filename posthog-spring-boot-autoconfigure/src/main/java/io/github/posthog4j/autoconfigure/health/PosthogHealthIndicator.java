package io.github.posthog4j.autoconfigure.health;

import io.github.posthog4j.client.ManagedPosthogClient;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code posthog} health component for Spring Boot 4
 * ({@code org.springframework.boot.health}). UP unless
 * {@code posthog.health.down-when-unreachable=true} and PostHog is unreachable; the
 * details show the queue, the consumers, the last successful send, consecutive failures,
 * drops and the last error.
 */
public final class PosthogHealthIndicator extends AbstractHealthIndicator {

    private final ManagedPosthogClient client;

    private final boolean downWhenUnreachable;

    /**
     * Creates the indicator.
     * @param client the client to report on
     * @param downWhenUnreachable whether an unreachable PostHog reports DOWN
     */
    public PosthogHealthIndicator(ManagedPosthogClient client, boolean downWhenUnreachable) {
        super("PostHog health check failed");
        this.client = client;
        this.downWhenUnreachable = downWhenUnreachable;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        PosthogHealthDetails health = PosthogHealthDetails.of(client, downWhenUnreachable);
        (health.down() ? builder.down() : builder.up()).withDetails(health.details());
    }

}
