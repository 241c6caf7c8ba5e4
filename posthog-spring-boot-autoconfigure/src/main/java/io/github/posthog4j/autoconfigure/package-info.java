/**
 * Spring Boot auto-configuration of the PostHog client: the {@code PosthogClient} bean,
 * its lifecycle and its {@code posthog.*} properties.
 */
@NullMarked
package io.github.posthog4j.autoconfigure;

import org.jspecify.annotations.NullMarked;
