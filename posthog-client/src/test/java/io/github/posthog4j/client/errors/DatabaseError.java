package io.github.posthog4j.client.errors;

/** A {@code DatabaseError} of the sdk-specs scenarios. */
public final class DatabaseError extends SpecError {

    /**
     * @param message the message
     */
    public DatabaseError(String message) {
        super(message, null, true);
    }

    /**
     * @param message the message
     * @param cause the cause, or null
     * @param withStack whether to record a stack trace
     */
    public DatabaseError(String message, Throwable cause, boolean withStack) {
        super(message, cause, withStack);
    }

}
