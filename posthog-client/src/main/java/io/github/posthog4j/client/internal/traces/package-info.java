/**
 * Spans ({@code startSpan}, {@code withSpan}) without OpenTelemetry: ids and parenting,
 * the active span per client and thread, the live-span bounds, and the end-time gates,
 * hooks, limits and validity checks before a span is queued. Internal API.
 */
@NullMarked
package io.github.posthog4j.client.internal.traces;

import org.jspecify.annotations.NullMarked;
