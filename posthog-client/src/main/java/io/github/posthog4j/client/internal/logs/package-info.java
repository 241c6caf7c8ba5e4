/**
 * The capture path of log records ({@code captureLog}): the gates in the order of the
 * logs specification, the record with its monotonic timestamp and context, the rate cap.
 * Internal API.
 */
@NullMarked
package io.github.posthog4j.client.internal.logs;

import org.jspecify.annotations.NullMarked;
