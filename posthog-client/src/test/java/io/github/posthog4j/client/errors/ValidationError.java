package io.github.posthog4j.client.errors;

/** A {@code ValidationError} of the sdk-specs scenarios. */
public final class ValidationError extends SpecError {

    /**
     * @param message the message
     */
    public ValidationError(String message) {
        super(message, null, true);
    }

    /**
     * @param message the message
     * @param cause the cause, or null
     * @param withStack whether to record a stack trace
     */
    public ValidationError(String message, Throwable cause, boolean withStack) {
        super(message, cause, withStack);
    }

}
