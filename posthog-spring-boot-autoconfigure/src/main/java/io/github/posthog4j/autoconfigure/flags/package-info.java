/**
 * Feature flags support of the auto-configuration: flag definitions shared through Redis.
 */
@NullMarked
package io.github.posthog4j.autoconfigure.flags;

import org.jspecify.annotations.NullMarked;
