package io.github.posthog4j.client.errors;

/** A {@code AggregateError} of the sdk-specs scenarios. */
public final class AggregateError extends SpecError {

    /**
     * @param message the message
     */
    public AggregateError(String message) {
        super(message, null, true);
    }

    /**
     * @param message the message
     * @param cause the cause, or null
     * @param withStack whether to record a stack trace
     */
    public AggregateError(String message, Throwable cause, boolean withStack) {
        super(message, cause, withStack);
    }

}
