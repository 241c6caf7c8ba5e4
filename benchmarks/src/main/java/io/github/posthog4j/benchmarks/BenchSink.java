package io.github.posthog4j.benchmarks;

import java.util.concurrent.TimeUnit;

/**
 * The loopback PostHog stand-in as the harness sees it: {@link Sink} in the harness's own
 * JVM (the JMH benchmarks), or {@link SinkProcess}, the same sink in a JVM of its own
 * (the harness's default, as issue 17 measured).
 */
interface BenchSink extends AutoCloseable {

    /**
     * @return the base URL, e.g. {@code http://127.0.0.1:40123}
     */
    String url();

    /**
     * @return events counted so far
     */
    long events();

    long requests();

    long gzipRequests();

    /**
     * @return bytes of the request bodies as sent
     */
    long wireBytes();

    /**
     * @return the largest request body, after gunzip
     */
    long maxBodyBytes();

    /**
     * @return System.nanoTime() (CLOCK_MONOTONIC, the same clock in every JVM of the
     * machine) when the last /batch request was counted, or 0
     */
    long lastEventNanos();

    /**
     * @return distinct event uuids (deduplicating sinks only)
     */
    long uniqueEvents();

    /**
     * @return CPU nanoseconds the sink's request handlers used
     */
    long handlerCpuNanos();

    /**
     * @return CPU nanoseconds of the sink's whole JVM so far, or -1 when the sink shares
     * the harness's JVM
     */
    default long processCpuNanos() {
        return -1;
    }

    /** Accept requests but answer none until {@link #resume()}. */
    void stall();

    /** Answers the held requests and every later one at once. */
    void resume();

    @Override
    void close();

    /**
     * Waits until the sink has counted at least {@code target} events, or the timeout
     * passes.
     * @return whether the target was reached
     */
    default boolean awaitEvents(long target, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (events() < target) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(1);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Waits until no event arrived for {@code quietMillis}, at most
     * {@code timeoutMillis}.
     */
    default void awaitQuiet(long quietMillis, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        long last = events();
        long lastChange = System.currentTimeMillis();
        while (System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = events();
            if (now != last) {
                last = now;
                lastChange = System.currentTimeMillis();
            }
            else if (System.currentTimeMillis() - lastChange >= quietMillis) {
                return;
            }
        }
    }

}
