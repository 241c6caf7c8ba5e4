package io.github.posthog4j.client.errors;

/** A {@code WrapperError} of the sdk-specs scenarios. */
public final class WrapperError extends SpecError {

    /**
     * @param message the message
     */
    public WrapperError(String message) {
        super(message, null, true);
    }

    /**
     * @param message the message
     * @param cause the cause, or null
     * @param withStack whether to record a stack trace
     */
    public WrapperError(String message, Throwable cause, boolean withStack) {
        super(message, cause, withStack);
    }

}
