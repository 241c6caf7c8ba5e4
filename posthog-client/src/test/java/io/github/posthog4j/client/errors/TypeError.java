package io.github.posthog4j.client.errors;

/** A {@code TypeError} of the sdk-specs scenarios. */
public final class TypeError extends SpecError {

    /**
     * @param message the message
     */
    public TypeError(String message) {
        super(message, null, true);
    }

    /**
     * @param message the message
     * @param cause the cause, or null
     * @param withStack whether to record a stack trace
     */
    public TypeError(String message, Throwable cause, boolean withStack) {
        super(message, cause, withStack);
    }

}
