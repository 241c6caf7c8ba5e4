package io.github.posthog4j.client.internal.flags;

/**
 * Thrown by {@link FlagDefinitions#parse(byte[])} and
 * {@link FlagDefinitions#parse(String)} when the local-evaluation document is not valid
 * JSON or is not a JSON object. Internal API.
 */
public final class FlagDefinitionsParseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    FlagDefinitionsParseException(String message, Throwable cause) {
        super(message, cause);
    }

}
