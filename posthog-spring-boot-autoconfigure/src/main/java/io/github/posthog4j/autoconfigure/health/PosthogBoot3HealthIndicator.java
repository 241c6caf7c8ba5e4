package io.github.posthog4j.autoconfigure.health;

import io.github.posthog4j.client.ManagedPosthogClient;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * The {@code posthog} health component for Spring Boot 3.5
 * ({@code org.springframework.boot.actuate.health}); same rules as
 * {@link PosthogHealthIndicator}.
 */
public final class PosthogBoot3HealthIndicator extends AbstractHealthIndicator {

    private final ManagedPosthogClient client;

    private final boolean downWhenUnreachable;

    /**
     * Creates the indicator.
     * @param client the client to report on
     * @param downWhenUnreachable whether an unreachable PostHog reports DOWN
     */
    public PosthogBoot3HealthIndicator(ManagedPosthogClient client, boolean downWhenUnreachable) {
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
