package io.github.posthog4j.autoconfigure;

/**
 * Thrown when the {@code posthog.*} properties cannot produce a working client. Names the
 * property to fix and never contains a key; {@link PosthogFailureAnalyzer} turns it into
 * a start-up failure report.
 */
public class InvalidPosthogPropertyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String property;

    /**
     * Creates the exception.
     * @param property the full property name, e.g. {@code posthog.api-key}
     * @param message what is wrong
     * @param cause the underlying problem, or null
     */
    public InvalidPosthogPropertyException(String property, String message, Throwable cause) {
        super(message, cause);
        this.property = property;
    }

    /**
     * Returns the property to fix.
     * @return the full property name, e.g. {@code posthog.host}
     */
    public String getProperty() {
        return property;
    }

}
