/**
 * The {@code posthog} health contributor, for Spring Boot 4 and 3.5.
 */
@NullMarked
package io.github.posthog4j.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
