package io.github.posthog4j.autoconfigure.exceptions;

import io.github.posthog4j.client.PosthogClient;
import java.io.PrintStream;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * A default uncaught-exception handler that captures the exception
 * ({@code mechanism.type onuncaughtexception}, unhandled, {@code $exception_source
 * jvm.uncaught_exception_handler}; level {@code fatal} on the main thread, whose death
 * may end the process, and then a short flush; {@code error} on other threads), then
 * hands on to the handler that was installed before, or prints the stack trace as the JVM
 * does. Installed when the bean initialises, removed when it is destroyed (if still in
 * place).
 */
final class PosthogUncaughtExceptionHandler
        implements Thread.UncaughtExceptionHandler, InitializingBean, DisposableBean {

    private static final Duration FATAL_FLUSH = Duration.ofSeconds(2);

    private final PosthogExceptionCaptor captor;

    private final PosthogClient client;

    private volatile Thread.@Nullable UncaughtExceptionHandler previous;

    PosthogUncaughtExceptionHandler(PosthogExceptionCaptor captor, PosthogClient client) {
        this.captor = captor;
        this.client = client;
    }

    @Override
    public void afterPropertiesSet() {
        this.previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler(this);
    }

    @Override
    public void destroy() {
        if (Thread.getDefaultUncaughtExceptionHandler() == this) {
            Thread.setDefaultUncaughtExceptionHandler(this.previous);
        }
    }

    @Override
    public void uncaughtException(Thread thread, Throwable ex) {
        try {
            if (!this.captor.isLeftOut(ex)) {
                boolean fatal = isMainThread(thread);
                String uuid = this.captor.capture(ex, PosthogExceptionCaptor.Integration.UNCAUGHT, false,
                        fatal ? "fatal" : "error", null);
                if (fatal && uuid != null) {
                    this.client.flush(FATAL_FLUSH);
                }
            }
        }
        catch (RuntimeException | LinkageError failure) {
            // reporting must not hide the original failure
        }
        Thread.UncaughtExceptionHandler next = this.previous;
        if (next != null) {
            next.uncaughtException(thread, ex);
        }
        else {
            PrintStream err = System.err;
            err.print("Exception in thread \"" + thread.getName() + "\" ");
            ex.printStackTrace(err);
        }
    }

    /**
     * The JVM cannot tell whether a thread's death ends the process; the main thread's is
     * taken as the one that does (as PostHog's posthog-server does).
     */
    @SuppressWarnings("deprecation")
    private static boolean isMainThread(Thread thread) {
        return "main".equals(thread.getName()) || thread.getId() == 1L;
    }

}
