package io.github.posthog4j.client.errors;

/** A {@code RequestError} of the sdk-specs scenarios. */
public final class RequestError extends SpecError {

    /**
     * @param message the message
     */
    public RequestError(String message) {
        super(message, null, true);
    }

    /**
     * @param message the message
     * @param cause the cause, or null
     * @param withStack whether to record a stack trace
     */
    public RequestError(String message, Throwable cause, boolean withStack) {
        super(message, cause, withStack);
    }

}
