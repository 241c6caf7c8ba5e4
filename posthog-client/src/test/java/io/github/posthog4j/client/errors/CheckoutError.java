package io.github.posthog4j.client.errors;

/** A {@code CheckoutError} of the sdk-specs scenarios. */
public final class CheckoutError extends SpecError {

    /**
     * @param message the message
     */
    public CheckoutError(String message) {
        super(message, null, true);
    }

    /**
     * @param message the message
     * @param cause the cause, or null
     * @param withStack whether to record a stack trace
     */
    public CheckoutError(String message, Throwable cause, boolean withStack) {
        super(message, cause, withStack);
    }

}
