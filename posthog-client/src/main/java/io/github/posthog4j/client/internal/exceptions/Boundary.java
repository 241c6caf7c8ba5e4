package io.github.posthog4j.client.internal.exceptions;

import org.jspecify.annotations.Nullable;

/**
 * The defaults of a capture boundary (PostHog's exception metadata specification,
 * "Capture-boundary metadata and precedence"): what an event gets when no valid typed
 * override says otherwise. A context-free builder has none. Internal API.
 *
 * @param level the {@code $exception_level}, or null
 * @param mechanismType the outermost {@code mechanism.type}, or null
 * @param handled the outermost {@code mechanism.handled}, or null
 * @param source the {@code $exception_source}, or null
 */
public record Boundary(@Nullable String level, @Nullable String mechanismType, @Nullable Boolean handled,
        @Nullable String source) {

    /** The public, manual capture of a caught exception. */
    public static final Boundary MANUAL = new Boundary("error", "generic", true, null);

}
