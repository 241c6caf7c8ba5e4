/**
 * Registration of the PostHog OpenFeature provider with the OpenFeature API.
 */
@NullMarked
package io.github.posthog4j.autoconfigure.openfeature;

import org.jspecify.annotations.NullMarked;
