/**
 * Micrometer meters of the PostHog client.
 */
@NullMarked
package io.github.posthog4j.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
