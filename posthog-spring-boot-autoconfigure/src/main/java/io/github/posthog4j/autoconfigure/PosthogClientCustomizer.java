package io.github.posthog4j.autoconfigure;

import io.github.posthog4j.client.PosthogClientBuilder;

/**
 * Customizes the builder of the auto-configured {@code PosthogClient} after the
 * {@code posthog.*} properties are applied. Customizer beans run in
 * {@link org.springframework.core.annotation.Order @Order}, every time the settings are
 * (re)applied: at bean creation and whenever the delivery engine (re)starts. They must
 * therefore be idempotent.
 */
@FunctionalInterface
public interface PosthogClientCustomizer {

    /**
     * Changes the builder.
     * @param builder the builder, with the properties already applied
     */
    void customize(PosthogClientBuilder builder);

}
