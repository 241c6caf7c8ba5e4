package io.github.posthog4j.autoconfigure.logs;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.github.posthog4j.autoconfigure.InvalidPosthogPropertyException;
import io.github.posthog4j.autoconfigure.PosthogLogsProperties;
import io.github.posthog4j.client.PosthogClient;
import java.util.Locale;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Adds the {@link PosthogLogbackAppender} to Logback's root logger once the context's
 * singletons exist, and removes it when the context closes (before the client closes:
 * this bean depends on it). Does nothing, with an INFO, when Logback is on the class path
 * but another logging system is in use.
 */
final class PosthogLogbackRegistration implements SmartInitializingSingleton, DisposableBean {

    private static final Log log = LogFactory.getLog(PosthogLogbackRegistration.class);

    private final PosthogClient client;

    private final PosthogLogsProperties properties;

    private final TraceIds.@Nullable Source traceIds;

    private final Level threshold;

    private volatile @Nullable PosthogLogbackAppender appender;

    private volatile @Nullable Logger root;

    PosthogLogbackRegistration(PosthogClient client, PosthogLogsProperties properties,
            TraceIds.@Nullable Source traceIds) {
        this.client = client;
        this.properties = properties;
        this.traceIds = traceIds;
        this.threshold = level(properties.getLevel());
    }

    private static Level level(String value) {
        Level level = (value != null) ? Level.toLevel(value.strip().toUpperCase(Locale.ROOT), null) : null;
        if (level == null || level == Level.ALL || level == Level.OFF) {
            throw new InvalidPosthogPropertyException("posthog.logs.level",
                    "posthog.logs.level is '" + value
                            + "': set it to TRACE, DEBUG, INFO, WARN or ERROR (the lowest level sent to PostHog).",
                    null);
        }
        return level;
    }

    @Override
    public void afterSingletonsInstantiated() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            log.info("posthog.logs.enabled is true but Logback is not the logging system in use ("
                    + factory.getClass().getName() + "); no log events are sent to PostHog");
            return;
        }
        PosthogLogbackAppender a = new PosthogLogbackAppender(this.client, this.threshold,
                this.properties.getIncludeLoggers(), this.properties.getExcludeLoggers(), this.properties.isMdc(),
                this.traceIds);
        a.setContext(context);
        a.start();
        Logger r = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        r.addAppender(a);
        this.appender = a;
        this.root = r;
    }

    @Override
    public void destroy() {
        PosthogLogbackAppender a = this.appender;
        Logger r = this.root;
        if (a != null && r != null) {
            r.detachAppender(a);
            a.stop();
        }
        this.appender = null;
    }

    /**
     * @return the appender while it is attached, or null
     */
    @Nullable PosthogLogbackAppender appender() {
        return this.appender;
    }

}
