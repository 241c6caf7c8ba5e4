package io.github.posthog4j.client.errors;

/** A {@code NetworkError} of the sdk-specs scenarios. */
public final class NetworkError extends SpecError {

    /**
     * @param message the message
     */
    public NetworkError(String message) {
        super(message, null, true);
    }

    /**
     * @param message the message
     * @param cause the cause, or null
     * @param withStack whether to record a stack trace
     */
    public NetworkError(String message, Throwable cause, boolean withStack) {
        super(message, cause, withStack);
    }

}
