/**
 * The test kit for applications that use the PostHog starter:
 * {@link AutoConfigurePosthog} swaps the network of the auto-configured client for a
 * {@link PosthogRecorder}; assert with {@link PosthogAssertions}.
 */
@NullMarked
package io.github.posthog4j.test;

import org.jspecify.annotations.NullMarked;
