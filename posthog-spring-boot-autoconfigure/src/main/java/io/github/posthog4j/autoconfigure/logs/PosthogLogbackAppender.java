package io.github.posthog4j.autoconfigure.logs;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.github.posthog4j.client.LogOptions;
import io.github.posthog4j.client.LogSeverity;
import io.github.posthog4j.client.PosthogClient;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Sends Logback log events to PostHog logs through {@link PosthogClient#captureLog}: the
 * formatted message as the body, the level as the severity, the logger and thread names,
 * the MDC entries, the exception of a logged throwable as OpenTelemetry's
 * {@code exception.type}, {@code exception.message} and {@code exception.stacktrace}
 * (formatted on the client's delivery thread, not here), the request's PostHog distinct
 * id and session id (the client adds them from the request context), and the trace and
 * span ids of Micrometer Tracing's current span, or else of the client's active span.
 *
 * <p>
 * It never blocks the logging thread: it is unsynchronised (no lock shared by the threads
 * that log), and {@code captureLog} only queues (a full queue drops its oldest record,
 * counted). It never recurses: the client's own loggers ({@code io.github.posthog4j}),
 * the JDK HTTP client's, events logged on the client's threads ({@code posthog-*}) and
 * events logged while this appender is at work on the same thread (a log hook that logs)
 * are left out.
 */
public final class PosthogLogbackAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    /** Loggers never sent: the client's and the starter's own, the JDK HTTP client's. */
    static final List<String> ALWAYS_EXCLUDED = List.of("io.github.posthog4j.client",
            "io.github.posthog4j.autoconfigure", "io.github.posthog4j.openfeature", "jdk.internal.httpclient",
            "jdk.httpclient");

    private static final ThreadLocal<Boolean> APPENDING = new ThreadLocal<>();

    private final PosthogClient client;

    private final Level threshold;

    private final List<String> include;

    private final List<String> exclude;

    private final boolean mdc;

    private final TraceIds.@Nullable Source traceIds;

    /**
     * @param client where the records go
     * @param threshold the lowest level sent
     * @param include logger names or prefixes sent (empty: all)
     * @param exclude logger names or prefixes never sent (besides the client's own)
     * @param mdc whether MDC entries become attributes
     * @param traceIds the current trace ids of another tracer, or null
     */
    public PosthogLogbackAppender(PosthogClient client, Level threshold, List<String> include, List<String> exclude,
            boolean mdc, TraceIds.@Nullable Source traceIds) {
        this.client = client;
        this.threshold = threshold;
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
        this.mdc = mdc;
        this.traceIds = traceIds;
        setName("POSTHOG");
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (!event.getLevel().isGreaterOrEqual(this.threshold) || !sent(event.getLoggerName())
                || APPENDING.get() != null || Thread.currentThread().getName().startsWith("posthog-")) {
            return;
        }
        APPENDING.set(Boolean.TRUE);
        try {
            this.client.captureLog(options(event));
        }
        catch (RuntimeException | LinkageError ex) {
            // never let PostHog break the application's logging
        }
        finally {
            APPENDING.remove();
        }
    }

    private LogOptions options(ILoggingEvent event) {
        LogOptions.Builder b = LogOptions.builder(event.getFormattedMessage())
            .severity(severity(event.getLevel()))
            .attribute("logger.name", event.getLoggerName())
            .attribute("thread.name", event.getThreadName());
        if (this.mdc) {
            Map<String, String> entries = mdc(event);
            if (entries != null && !entries.isEmpty()) {
                b.attributes(entries);
            }
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            b.attribute("exception.type", thrown.getClassName())
                .attribute("exception.message", thrown.getMessage())
                .attribute("exception.stacktrace", new StackTrace(thrown));
        }
        TraceIds ids = (this.traceIds != null) ? this.traceIds.current() : null;
        if (ids != null) {
            b.traceId(ids.traceId()).spanId(ids.spanId()).traceFlags(ids.flags());
        }
        return b.build();
    }

    /**
     * The event's MDC; none when its logger context has no MDC adapter (a context built
     * by hand), rather than losing the record.
     */
    private static @Nullable Map<String, String> mdc(ILoggingEvent event) {
        try {
            return event.getMDCPropertyMap();
        }
        catch (RuntimeException ex) {
            return null;
        }
    }

    private boolean sent(@Nullable String logger) {
        String name = (logger != null) ? logger : "";
        if (matches(ALWAYS_EXCLUDED, name) || matches(this.exclude, name)) {
            return false;
        }
        return this.include.isEmpty() || matches(this.include, name);
    }

    private static boolean matches(List<String> prefixes, String name) {
        for (String p : prefixes) {
            if (name.equals(p) || (name.startsWith(p) && (p.endsWith(".") || name.charAt(p.length()) == '.'))) {
                return true;
            }
        }
        return false;
    }

    static LogSeverity severity(Level level) {
        return switch (level.toInt()) {
            case Level.TRACE_INT -> LogSeverity.TRACE;
            case Level.DEBUG_INT -> LogSeverity.DEBUG;
            case Level.INFO_INT -> LogSeverity.INFO;
            case Level.WARN_INT -> LogSeverity.WARN;
            default -> (level.toInt() >= Level.ERROR_INT) ? LogSeverity.ERROR : LogSeverity.INFO;
        };
    }

    /**
     * A throwable's stack trace as text, formatted only when the record is serialised (on
     * the client's delivery thread): the logging thread pays nothing for it.
     */
    static final class StackTrace implements CharSequence {

        private final IThrowableProxy thrown;

        private volatile @Nullable String text;

        StackTrace(IThrowableProxy thrown) {
            this.thrown = thrown;
        }

        @Override
        public String toString() {
            String t = this.text;
            if (t == null) {
                t = ThrowableProxyUtil.asString(this.thrown);
                this.text = t;
            }
            return t;
        }

        @Override
        public int length() {
            return toString().length();
        }

        @Override
        public char charAt(int index) {
            return toString().charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return toString().subSequence(start, end);
        }

    }

}
