package io.github.posthog4j.client;

/**
 * Thrown by {@link PosthogClientBuilder} for a setting that cannot work. Names the
 * setting; never contains a key.
 */
public class PosthogConfigurationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String setting;

    /**
     * @param setting the builder setting at fault, e.g. {@code host}
     * @param message what is wrong and what to do
     */
    public PosthogConfigurationException(String setting, String message) {
        super(message);
        this.setting = setting;
    }

    /**
     * @return the builder setting at fault, e.g. {@code host} or {@code apiKey}
     */
    public String setting() {
        return setting;
    }

}
