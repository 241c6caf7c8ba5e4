package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.PosthogClientListener;
import io.github.posthog4j.client.RequestReport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The client's listeners: those of the settings (replaced on reconfigure) and those added
 * at run time. A listener that throws is logged at DEBUG and ignored.
 */
final class Listeners implements RequestObserver {

    private volatile List<PosthogClientListener> configured;

    private final CopyOnWriteArrayList<PosthogClientListener> added = new CopyOnWriteArrayList<>();

    private volatile boolean any;

    Listeners(List<PosthogClientListener> configured) {
        this.configured = configured;
        this.any = !configured.isEmpty();
    }

    void configure(List<PosthogClientListener> listeners) {
        this.configured = listeners;
        this.any = !listeners.isEmpty() || !this.added.isEmpty();
    }

    void add(PosthogClientListener listener) {
        this.added.addIfAbsent(listener);
        this.any = true;
    }

    void remove(PosthogClientListener listener) {
        this.added.remove(listener);
        this.any = !this.configured.isEmpty() || !this.added.isEmpty();
    }

    @Override
    public boolean active() {
        return this.any;
    }

    @Override
    public void report(RequestReport report) {
        for (PosthogClientListener l : this.configured) {
            requested(l, report);
        }
        for (PosthogClientListener l : this.added) {
            requested(l, report);
        }
    }

    void dropped(DropReason reason, int count) {
        if (!this.any) {
            return;
        }
        for (PosthogClientListener l : this.configured) {
            dropped(l, reason, count);
        }
        for (PosthogClientListener l : this.added) {
            dropped(l, reason, count);
        }
    }

    void pipelineCreated(String pipeline) {
        for (PosthogClientListener l : this.configured) {
            pipelineCreated(l, pipeline);
        }
        for (PosthogClientListener l : this.added) {
            pipelineCreated(l, pipeline);
        }
    }

    private static void pipelineCreated(PosthogClientListener l, String pipeline) {
        try {
            l.onPipelineCreated(pipeline);
        }
        catch (RuntimeException ex) {
            Log.CLIENT.debug("PostHog client listener failed", ex);
        }
    }

    private static void requested(PosthogClientListener l, RequestReport report) {
        try {
            l.onRequest(report);
        }
        catch (RuntimeException ex) {
            Log.CLIENT.debug("PostHog client listener failed", ex);
        }
    }

    private static void dropped(PosthogClientListener l, DropReason reason, int count) {
        try {
            l.onDropped(reason, count);
        }
        catch (RuntimeException ex) {
            Log.CLIENT.debug("PostHog client listener failed", ex);
        }
    }

}
