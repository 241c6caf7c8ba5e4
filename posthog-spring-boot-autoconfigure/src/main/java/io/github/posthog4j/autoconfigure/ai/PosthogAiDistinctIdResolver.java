package io.github.posthog4j.autoconfigure.ai;

import org.jspecify.annotations.Nullable;

/**
 * Tells the Spring AI bridge whose call it records: the distinct id of the
 * {@code $ai_generation} and {@code $ai_embedding} events. Declare a bean (for example
 * reading your security context or a request attribute); the first bean, in
 * {@code @Order}, that answers a non-blank id wins. Without an answer the event is
 * personless (a generated distinct id, {@code $process_person_profile=false}). Called on
 * the thread that made the model call (for a blocking call, the request's thread).
 */
@FunctionalInterface
public interface PosthogAiDistinctIdResolver {

    /**
     * @return the distinct id of the current call, or null when unknown
     */
    @Nullable String distinctId();

}
