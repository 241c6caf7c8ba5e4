package io.github.posthog4j.client;

/**
 * A {@link PosthogClient} whose delivery engine can be started and stopped, for
 * containers that own its lifecycle (the Spring Boot starter, CRaC, tests).
 *
 * <p>
 * The queue belongs to the client and the consumer threads belong to the engine:
 * {@link #stop()} lets the consumers finish the request in flight, joins them and keeps
 * every undelivered event; {@link #start()} builds fresh threads and a fresh HTTP client.
 * Both may be called any number of times; events captured while the engine is stopped are
 * queued (up to the queue's capacity) and delivered after the next start, or by
 * {@link #flush()} and {@link #close()} on the calling thread.
 */
public interface ManagedPosthogClient extends PosthogClient {

    /** Starts the delivery engine if it is not running and the client is not closed. */
    void start();

    /**
     * Stops the delivery engine: consumers finish their in-flight request and exit,
     * undelivered events stay queued. Waits at most the shutdown timeout for the threads
     * to end. No-op when not running.
     */
    void stop();

    /**
     * @return whether the delivery engine is running
     */
    boolean isRunning();

    /**
     * @return whether {@link #close()} has been called
     */
    boolean isClosed();

    /**
     * Applies new settings if they differ from the current ones: stops the engine if it
     * runs, replaces the settings (host, key, batching, retries, timeouts, hooks,
     * listeners, queue capacity: a lower capacity keeps the queued events and refuses
     * captures until it is respected) and starts the engine again if it was running.
     * Spool settings take effect at the next start of the application. The queue is kept.
     * @param settings a builder holding the new settings
     * @return whether anything changed (false: nothing was done)
     * @throws PosthogConfigurationException naming the setting at fault; the client keeps
     * its settings
     */
    boolean reconfigure(PosthogClientBuilder settings);

    /**
     * @return a snapshot of the client's counters and state, cheap enough for health
     * checks
     */
    PosthogClientStatus status();

    /**
     * The state of every delivery pipeline that exists, by name: {@code events} (the same
     * as {@link #status()}) and, once {@link #captureAi} was called, {@code ai} (its own
     * queue, counters, drops and outage state).
     * @return the snapshots, {@code events} first
     */
    default java.util.Map<String, PosthogClientStatus> pipelineStatus() {
        return java.util.Map.of(RequestReport.EVENTS, status());
    }

    /**
     * @return a snapshot of the feature-flag state (definitions age, last loader error,
     * evaluation counters), cheap enough for health checks
     */
    default PosthogFlagsStatus flagsStatus() {
        return new PosthogFlagsStatus(false, false, false, 0, null, null, null, 0, 0, 0, 0, null);
    }

    /**
     * Adds a listener for requests and drops. Listeners run on the client's threads and
     * must be fast.
     * @param listener the listener
     */
    void addListener(PosthogClientListener listener);

    /**
     * Removes a listener.
     * @param listener the listener
     */
    void removeListener(PosthogClientListener listener);

}
