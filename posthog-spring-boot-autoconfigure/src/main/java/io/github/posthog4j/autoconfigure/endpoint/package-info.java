/**
 * The {@code posthog} actuator endpoint: engine, queue, spool, flags and settings (keys
 * masked); {@code flush}.
 */
@NullMarked
package io.github.posthog4j.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
