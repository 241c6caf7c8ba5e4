package io.github.posthog4j.client;

/**
 * A hook that sees every event before it is queued, and may change or drop it (for
 * example to scrub personal data). Hooks run on the capturing thread, in the order they
 * were added; each gets the previous hook's output.
 *
 * <p>
 * Returning {@code null} drops the event and stops the chain. A hook that throws also
 * drops the event and stops the chain (fail closed: a failing scrubber must not leak what
 * it was meant to remove); the drop is counted as {@link DropReason#BEFORE_SEND} and
 * logged at WARN.
 */
@FunctionalInterface
public interface BeforeSendHook {

    /**
     * Inspects or changes an event.
     * @param event the event, mutable
     * @return the event to send (the same or another instance), or {@code null} to drop
     * it
     */
    PosthogEvent apply(PosthogEvent event);

}
