package io.github.posthog4j.client.errors;

/** A {@code ParseError} of the sdk-specs scenarios. */
public final class ParseError extends SpecError {

    /**
     * @param message the message
     */
    public ParseError(String message) {
        super(message, null, true);
    }

    /**
     * @param message the message
     * @param cause the cause, or null
     * @param withStack whether to record a stack trace
     */
    public ParseError(String message, Throwable cause, boolean withStack) {
        super(message, cause, withStack);
    }

}
