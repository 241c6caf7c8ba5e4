/**
 * PostHog logs for Spring Boot: the Logback appender ({@code posthog.logs.enabled}).
 */
@NullMarked
package io.github.posthog4j.autoconfigure.logs;

import org.jspecify.annotations.NullMarked;
