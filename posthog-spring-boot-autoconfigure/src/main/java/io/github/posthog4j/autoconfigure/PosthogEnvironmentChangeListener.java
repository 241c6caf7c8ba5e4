package io.github.posthog4j.autoconfigure;

import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;

/**
 * Restarts the PostHog consumers with current settings when Spring Cloud reports a change
 * of a {@code posthog.*} property in this context. Only loaded when spring-cloud-context
 * is on the class path.
 */
public final class PosthogEnvironmentChangeListener
        implements ApplicationListener<EnvironmentChangeEvent>, ApplicationContextAware {

    private final PosthogLifecycle lifecycle;

    private ApplicationContext context;

    /**
     * Creates the listener.
     * @param lifecycle the bridge to notify
     */
    public PosthogEnvironmentChangeListener(PosthogLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public void setApplicationContext(ApplicationContext applicationContext) {
        this.context = applicationContext;
    }

    @Override
    public void onApplicationEvent(EnvironmentChangeEvent event) {
        if (event.getSource() != context) {
            return;
        }
        boolean ours = event.getKeys()
            .stream()
            .anyMatch((k) -> k.toLowerCase(java.util.Locale.ROOT).startsWith("posthog."));
        if (ours) {
            lifecycle.settingsChanged();
        }
    }

}
