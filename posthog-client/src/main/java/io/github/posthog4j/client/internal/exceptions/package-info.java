/**
 * PostHog's {@code $exception} event: a {@link java.lang.Throwable} read into an
 * exception tree, flattened into {@code $exception_list} with PostHog's mechanism
 * metadata, the event properties around it, and the storm guard. Internal API.
 */
@NullMarked
package io.github.posthog4j.client.internal.exceptions;

import org.jspecify.annotations.NullMarked;
