package io.github.posthog4j.client.internal;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDK {@link HttpClient} with an executor of its own (daemon threads named
 * {@code <prefix>N}, no context class loader). {@link #close()} ends every thread it
 * started: the executor's (joined) and, on Java 21+, the client's selector thread; on
 * Java 17 that one ends once the client is unreachable, which is why nothing the client
 * reaches (its executor and thread factory) may refer back to the client.
 */
final class OwnedHttpClient implements AutoCloseable {

    private static final int MAX_THREADS = 2;

    private final HttpClient client;

    private final ExecutorService executor;

    private final List<Thread> threads;

    /**
     * @param threadPrefix the executor threads' name prefix
     * @param connectTimeout the TCP connect timeout
     * @param host the base URL (plain http gets HTTP/1.1: no h2c upgrade, which proxies
     * and simple servers mishandle)
     */
    OwnedHttpClient(String threadPrefix, Duration connectTimeout, String host) {
        this.threads = new CopyOnWriteArrayList<>();
        // two threads at most: the HTTP client's own stages are short and never block
        // (the
        // callers block, on their own threads); a cached pool grew to 3-5 threads under
        // load
        ThreadPoolExecutor pool = new ThreadPoolExecutor(MAX_THREADS, MAX_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), tracking(daemonThreads(threadPrefix), threads));
        pool.allowCoreThreadTimeOut(true);
        this.executor = pool;
        HttpClient.Builder builder = HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor);
        if (host.regionMatches(true, 0, "http:", 0, 5)) {
            builder.version(HttpClient.Version.HTTP_1_1);
        }
        this.client = builder.build();
    }

    /**
     * A static factory, so that the thread factory cannot capture this object (see the
     * class comment).
     */
    private static ThreadFactory tracking(ThreadFactory named, List<Thread> created) {
        return r -> {
            Thread t = named.newThread(r);
            created.removeIf(old -> !old.isAlive());
            created.add(t);
            return t;
        };
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(null);
            return t;
        };
    }

    /**
     * @return the client
     */
    HttpClient client() {
        return client;
    }

    @Override
    public void close() {
        if (client instanceof AutoCloseable closeable) {
            // Java 21+: HttpClient.close() ends its selector thread at once.
            try {
                closeable.close();
            }
            catch (Exception ignored) {
                // nothing to do
            }
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
            for (Thread t : threads) {
                t.join(1000); // a terminated pool can still have threads unwinding for a
                              // moment
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
