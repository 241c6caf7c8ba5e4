package io.github.posthog4j.client.errors;

/**
 * Exceptions named as in PostHog's sdk-specs scenarios and examples ({@code TypeError},
 * {@code CheckoutError}, ...): the JVM sends a type's simple name, so these classes give
 * the spec's names. Created with or without a stack trace.
 */
public abstract class SpecError extends RuntimeException {

    protected SpecError(String message, Throwable cause, boolean withStack) {
        super(message, cause, true, withStack);
    }

}
