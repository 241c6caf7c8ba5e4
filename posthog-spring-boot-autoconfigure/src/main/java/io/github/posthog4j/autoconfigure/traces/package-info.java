/**
 * PostHog traces for Spring Boot: Micrometer observations as PostHog spans
 * ({@code posthog.traces.enabled}).
 */
@NullMarked
package io.github.posthog4j.autoconfigure.traces;

import org.jspecify.annotations.NullMarked;
