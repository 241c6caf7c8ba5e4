/**
 * The sample application: every feature of the starter, with an embedded PostHog
 * stand-in.
 */
@NullMarked
package io.github.posthog4j.sample;

import org.jspecify.annotations.NullMarked;
