/**
 * The PostHog client's public API: {@link io.github.posthog4j.client.PosthogClient}, its
 * builder, options and status types. Depends on Jackson and the JDK only.
 */
@NullMarked
package io.github.posthog4j.client;

import org.jspecify.annotations.NullMarked;
