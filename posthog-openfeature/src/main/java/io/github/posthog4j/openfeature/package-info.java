/**
 * An OpenFeature server provider for PostHog feature flags:
 * {@link io.github.posthog4j.openfeature.PosthogProvider}.
 */
@NullMarked
package io.github.posthog4j.openfeature;

import org.jspecify.annotations.NullMarked;
