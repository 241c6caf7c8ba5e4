package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.PosthogClientListener;
import io.github.posthog4j.client.RequestReport;

/**
 * The client's verbose diagnostics ({@code debug}): while on, requests, drops and
 * accepted captures are logged at INFO, off the calling thread, without properties or
 * keys. A listener of the client while on.
 */
final class Diagnostics implements PosthogClientListener {

    private final DeferredLog log;

    private final Listeners listeners;

    private volatile boolean on;

    Diagnostics(DeferredLog log, Listeners listeners) {
        this.log = log;
        this.listeners = listeners;
    }

    synchronized void enabled(boolean enabled) {
        if (enabled != this.on) {
            this.on = enabled;
            if (enabled) {
                this.listeners.add(this);
            }
            else {
                this.listeners.remove(this);
            }
            this.log.info("PostHog client diagnostics " + (enabled ? "on" : "off"));
        }
    }

    boolean enabled() {
        return this.on;
    }

    /** An event was accepted into the queue. */
    void captured(String event, String uuid) {
        if (this.on) {
            this.log.info("PostHog debug: captured '" + Texts.abbreviate(event) + "' " + uuid);
        }
    }

    @Override
    public void onRequest(RequestReport r) {
        this.log.info("PostHog debug: " + r.endpoint() + " attempt " + r.attempt() + " -> "
                + ((r.statusCode() == 0) ? "no response" : "HTTP " + r.statusCode()) + " (" + r.outcome().tag()
                + ") in " + r.duration().toMillis() + " ms, " + r.eventCount() + " events, " + r.requestBytes()
                + " bytes" + ((r.error() != null) ? ", " + r.error() : ""));
    }

    @Override
    public void onDropped(DropReason reason, int count) {
        this.log.info("PostHog debug: dropped " + count + " event(s), reason " + reason.tag());
    }

}
