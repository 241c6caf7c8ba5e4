package io.github.posthog4j.client.internal;

/** How a delivering thread learns it must stop, and how it sleeps between attempts. */
interface Waiter {

    /**
     * @return whether the thread must hand its work back now
     */
    boolean stopped();

    /**
     * Sleeps before a retry.
     * @param millis how long
     * @return false if the wait was cut short because the thread must stop (the work is
     * handed back)
     */
    boolean sleep(long millis);

}
