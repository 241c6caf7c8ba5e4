/**
 * The Spring AI bridge: Spring AI chat and embedding calls recorded as PostHog LLM
 * analytics events ({@code $ai_generation}, {@code $ai_embedding}).
 */
@NullMarked
package io.github.posthog4j.autoconfigure.ai;

import org.jspecify.annotations.NullMarked;
