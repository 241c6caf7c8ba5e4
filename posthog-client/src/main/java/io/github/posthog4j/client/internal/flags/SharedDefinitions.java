package io.github.posthog4j.client.internal.flags;

import io.github.posthog4j.client.FlagDefinitionCacheProvider;
import io.github.posthog4j.client.FlagDefinitionsData;
import io.github.posthog4j.client.internal.ClientSettings;
import io.github.posthog4j.client.internal.Log;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The calls to the {@link FlagDefinitionCacheProvider} of the settings, each contained:
 * bounded by the flags request timeout (on a small pool of the poller run, so that a hung
 * provider never holds the poller), every failure turned into the safe answer (fetch,
 * nothing read, nothing stored) and logged as one WARN until the provider works again.
 * Never throws. Thread-safe.
 */
final class SharedDefinitions {

    private static final Log log = Log.CLIENT;

    private final Supplier<ClientSettings> settings;

    /** The operations whose last call failed (one WARN each until they work again). */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    private volatile @Nullable String lastError;

    SharedDefinitions(Supplier<ClientSettings> settings) {
        this.settings = settings;
    }

    /**
     * @return the provider in use, or null
     */
    @Nullable FlagDefinitionCacheProvider provider() {
        return this.settings.get().flags().definitionCacheProvider();
    }

    /**
     * A pool for the provider calls of one poller run (daemon threads
     * {@code posthog-flags-cache-N}); the poller shuts it down when it stops.
     */
    static ExecutorService newPool() {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, 2, 5, TimeUnit.SECONDS, new SynchronousQueue<>(), (r) -> {
            Thread t = new Thread(r, "posthog-flags-cache-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(null);
            return t;
        });
        return pool;
    }

    /** What the provider decided. */
    enum Decision {

        /** Load from PostHog (and store). */
        FETCH,
        /** Read the shared definitions. */
        READ,
        /** The provider failed: load from PostHog, store nothing. */
        FAILED

    }

    /**
     * @return whether this instance should load from PostHog
     */
    Decision shouldFetch(FlagDefinitionCacheProvider p, @Nullable ExecutorService pool) {
        Boolean fetch = call("shouldFetch", p::shouldFetch, pool);
        return (fetch == null) ? Decision.FAILED : (fetch ? Decision.FETCH : Decision.READ);
    }

    /**
     * The result of a read: the data, or null when empty; failed when the read failed.
     */
    record Read(@Nullable FlagDefinitionsData data, boolean failed) {
    }

    Read read(FlagDefinitionCacheProvider p, @Nullable ExecutorService pool) {
        Object[] box = new Object[1];
        Boolean ok = call("read", () -> {
            box[0] = p.read();
            return Boolean.TRUE;
        }, pool);
        return (ok == null) ? new Read(null, true) : new Read((FlagDefinitionsData) box[0], false);
    }

    void store(FlagDefinitionCacheProvider p, FlagDefinitionsData data, @Nullable ExecutorService pool) {
        call("store", () -> {
            p.store(data);
            return Boolean.TRUE;
        }, pool);
    }

    /**
     * Shuts the provider down on a short-lived thread, bounded; a failure is logged and
     * the client's shutdown goes on.
     */
    void shutdown() {
        FlagDefinitionCacheProvider p = provider();
        if (p == null) {
            return;
        }
        ExecutorService pool = newPool();
        Duration bound = this.settings.get().flags().requestTimeout();
        try {
            Future<?> f = pool.submit(() -> {
                p.shutdown();
                return null;
            });
            f.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException | RuntimeException ex) {
            Throwable cause = (ex instanceof ExecutionException && ex.getCause() != null) ? ex.getCause() : ex;
            log.warn("PostHog flag definitions cache provider shutdown failed (" + cause
                    + "); the client's shutdown goes on");
        }
        finally {
            pool.shutdownNow();
        }
    }

    /**
     * @return the last provider failure, or null when the last call worked
     */
    @Nullable String lastError() {
        return this.failing.isEmpty() ? null : this.lastError;
    }

    /** Runs one provider call; null when it failed (then logged once). */
    private <T> @Nullable T call(String operation, Callable<T> c, @Nullable ExecutorService pool) {
        Duration bound = this.settings.get().flags().requestTimeout();
        try {
            T value;
            if (pool == null) {
                value = c.call();
            }
            else {
                Future<T> f = pool.submit(c);
                try {
                    value = f.get(bound.toNanos(), TimeUnit.NANOSECONDS);
                }
                catch (TimeoutException ex) {
                    f.cancel(true);
                    throw new TimeoutException("no answer within " + bound);
                }
            }
            if (this.failing.remove(operation) && this.failing.isEmpty()) {
                log.info("PostHog flag definitions cache provider works again");
            }
            return value;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            failed(operation, "interrupted");
            return null;
        }
        catch (ExecutionException ex) {
            Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
            failed(operation, cause.toString());
            return null;
        }
        catch (Exception | LinkageError ex) {
            failed(operation,
                    (ex instanceof RejectedExecutionException) ? "busy (earlier calls still running)" : ex.toString());
            return null;
        }
    }

    private void failed(String operation, String error) {
        String text = operation + " failed: " + error;
        this.lastError = text;
        if (this.failing.add(operation)) {
            String consequence = switch (operation) {
                case "shouldFetch" -> "loading flag definitions from PostHog directly (at most once per poll "
                        + "interval) until it works again";
                case "read" -> "keeping the definitions in use (or loading them from PostHog when none are "
                        + "loaded) until it works again";
                default -> "the definitions stay in use in this instance";
            };
            log.warn("PostHog flag definitions cache provider " + text + "; " + consequence);
        }
        else if (log.isDebugEnabled()) {
            log.debug("PostHog flag definitions cache provider " + text);
        }
    }

}
