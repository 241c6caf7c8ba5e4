/**
 * PostHog's SDK compliance adapter for this client: the harness's adapter interface on
 * the JDK's HTTP server, over the public API of {@code posthog-client}. See the module's
 * README.md.
 */
@NullMarked
package io.github.posthog4j.compliance;

import org.jspecify.annotations.NullMarked;
