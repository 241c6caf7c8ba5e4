package io.github.posthog4j.client.internal;

import java.lang.System.Logger.Level;

/**
 * The client's logger, on the JDK's {@link System.Logger} (no logging library needed; in
 * a Spring Boot application the JDK's logging reaches Logback or Log4j through Boot's
 * bridge). Messages never contain secrets: callers build them from settings that hide
 * keys. Internal API.
 */
public final class Log {

    /**
     * The logger every part of the client writes to, so that one logger name controls
     * them all.
     */
    public static final Log CLIENT = new Log("io.github.posthog4j.client.PosthogClient");

    private final System.Logger logger;

    private Log(String name) {
        this.logger = System.getLogger(name);
    }

    /**
     * Returns a logger of the given name.
     * @param name the logger name
     * @return the logger
     */
    public static Log named(String name) {
        return new Log(name);
    }

    /**
     * @return whether DEBUG messages are written
     */
    public boolean isDebugEnabled() {
        return this.logger.isLoggable(Level.DEBUG);
    }

    /**
     * @param message the message
     */
    public void debug(String message) {
        this.logger.log(Level.DEBUG, message);
    }

    /**
     * @param message the message
     * @param ex the cause
     */
    public void debug(String message, Throwable ex) {
        this.logger.log(Level.DEBUG, message, ex);
    }

    /**
     * @param message the message
     */
    public void info(String message) {
        this.logger.log(Level.INFO, message);
    }

    /**
     * @param message the message
     */
    public void warn(String message) {
        this.logger.log(Level.WARNING, message);
    }

    /**
     * @param message the message
     * @param ex the cause
     */
    public void error(String message, Throwable ex) {
        this.logger.log(Level.ERROR, message, ex);
    }

}
