package io.github.posthog4j.client;

/**
 * Observes the client's HTTP requests and dropped events: for metrics, auditing or tests.
 * Methods run on the client's threads (a consumer thread, or the capturing thread for
 * drops at capture time); they must be quick and should not throw (an exception is logged
 * at DEBUG and ignored).
 */
public interface PosthogClientListener {

    /**
     * Called after every HTTP request attempt, successful or not.
     * @param report what was sent and what came back
     */
    default void onRequest(RequestReport report) {
    }

    /**
     * Called when events are dropped.
     * @param reason why
     * @param count how many events
     */
    default void onDropped(DropReason reason, int count) {
    }

    /**
     * Called once when a delivery pipeline comes into being after the client was built
     * (the {@code ai} pipeline, at the first {@link PosthogClient#captureAi} call), so
     * that metrics can follow it.
     * @param pipeline the pipeline's name, e.g. {@code ai}
     */
    default void onPipelineCreated(String pipeline) {
    }

}
