/**
 * The PostHog context across threads: Micrometer context-propagation.
 */
@NullMarked
package io.github.posthog4j.autoconfigure.context;

import org.jspecify.annotations.NullMarked;
