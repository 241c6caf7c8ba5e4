package io.github.posthog4j.autoconfigure;

import io.github.posthog4j.client.ManagedPosthogClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Hands the delivery engine of the auto-configured client to the application context's
 * lifecycle.
 *
 * <ul>
 * <li>The client bean exists from the start and queues events, but no consumer thread and
 * no socket exists until this context's {@link ApplicationReadyEvent}: then the
 * {@code posthog.*} properties are bound again (so {@code ${local.server.port}} resolves
 * to the real port), the client is reconfigured if they changed, and the engine
 * starts.</li>
 * <li>{@link #stop()} ({@code context.stop()}, CRaC checkpoint, Spring's pause) stops the
 * consumers and keeps the queue; {@link #start()} starts fresh consumers, with current
 * settings, once the application was ready.</li>
 * <li>A later {@link ContextRefreshedEvent} of this context, or a change of
 * {@code posthog.*} properties ({@link #settingsChanged()}, called for Spring Cloud's
 * {@code EnvironmentChangeEvent}), restarts the consumers with current settings; queued
 * events are kept and nothing is sent twice.</li>
 * <li>Events of other contexts (a child's refresh or ready event propagated to its
 * parent) are ignored.</li>
 * </ul>
 *
 * <p>
 * Phase: {@value #PHASE} ({@code Integer.MAX_VALUE / 2 - 1024}). Lifecycle beans stop in
 * decreasing phase order, so the engine stops <em>after</em> the web server's graceful
 * shutdown ({@code Integer.MAX_VALUE - 1024}) and its stop
 * ({@code Integer.MAX_VALUE - 2048}), after task executors and schedulers (Spring's
 * default phase {@code Integer.MAX_VALUE}), after message listener containers and Spring
 * Integration endpoints (which use phases at or above {@code Integer.MAX_VALUE / 2}):
 * requests and tasks still draining can capture and their events are sent by the running
 * engine. Whatever is still queued afterwards (or captured during bean destruction) is
 * delivered by {@code close()} within {@code posthog.shutdown-timeout}.
 */
public final class PosthogLifecycle
        implements SmartLifecycle, ApplicationListener<ApplicationEvent>, ApplicationContextAware {

    /** The lifecycle phase: {@code Integer.MAX_VALUE / 2 - 1024}. */
    public static final int PHASE = Integer.MAX_VALUE / 2 - 1024;

    private static final Log log = LogFactory.getLog(PosthogLifecycle.class);

    private final ManagedPosthogClient client;

    private final PosthogClientFactory factory;

    private final Object monitor = new Object();

    private ApplicationContext context;

    private boolean running;

    private boolean ready;

    private boolean refreshed;

    /**
     * Creates the bridge.
     * @param client the client whose engine this bridge owns
     * @param factory where current settings come from
     */
    public PosthogLifecycle(ManagedPosthogClient client, PosthogClientFactory factory) {
        this.client = client;
        this.factory = factory;
    }

    @Override
    public void setApplicationContext(ApplicationContext applicationContext) {
        this.context = applicationContext;
    }

    @Override
    public void start() {
        synchronized (monitor) {
            running = true;
            if (ready) {
                startEngine();
            }
        }
    }

    @Override
    public void stop() {
        synchronized (monitor) {
            running = false;
            client.stop();
        }
    }

    @Override
    public boolean isRunning() {
        synchronized (monitor) {
            return running;
        }
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationReadyEvent readyEvent) {
            if (readyEvent.getApplicationContext() == context) {
                onReady();
            }
        }
        else if (event instanceof ContextRefreshedEvent refreshedEvent) {
            if (refreshedEvent.getApplicationContext() == context) {
                onRefreshed();
            }
        }
    }

    private void onReady() {
        synchronized (monitor) {
            ready = true;
            if (running) {
                startEngine();
            }
        }
    }

    private void onRefreshed() {
        synchronized (monitor) {
            if (!refreshed) {
                refreshed = true; // the first refresh is the context's start-up
                return;
            }
        }
        restart("context refreshed");
    }

    /**
     * Restarts the consumers with current settings because {@code posthog.*} properties
     * changed. Before the application is ready, or while the context is stopped, only the
     * next start picks them up.
     */
    public void settingsChanged() {
        restart("posthog.* properties changed");
    }

    private void restart(String why) {
        synchronized (monitor) {
            if (!ready || !running || client.isClosed()) {
                return;
            }
            if (log.isDebugEnabled()) {
                log.debug("Restarting the PostHog consumers: " + why);
            }
            boolean reconfigured = false;
            try {
                reconfigured = factory.applyCurrentSettings(client);
            }
            catch (RuntimeException ex) {
                log.warn("Keeping the previous PostHog settings: the current posthog.* properties are invalid: "
                        + ex.getMessage());
            }
            if (!reconfigured) {
                client.stop();
            }
            client.start();
        }
    }

    private void startEngine() {
        if (client.isClosed()) {
            return;
        }
        try {
            factory.applyCurrentSettings(client);
        }
        catch (RuntimeException ex) {
            log.warn("Keeping the previous PostHog settings: the current posthog.* properties are invalid: "
                    + ex.getMessage());
        }
        client.start();
    }

}
