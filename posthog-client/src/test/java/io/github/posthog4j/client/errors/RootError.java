package io.github.posthog4j.client.errors;

/** A {@code RootError} of the sdk-specs scenarios. */
public final class RootError extends SpecError {

    /**
     * @param message the message
     */
    public RootError(String message) {
        super(message, null, true);
    }

    /**
     * @param message the message
     * @param cause the cause, or null
     * @param withStack whether to record a stack trace
     */
    public RootError(String message, Throwable cause, boolean withStack) {
        super(message, cause, withStack);
    }

}
