package io.github.posthog4j.compliance;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.posthog4j.compliance.Router.Request;
import io.github.posthog4j.compliance.Router.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The adapter's HTTP server: the JDK's {@link HttpServer} on all interfaces, one thread
 * per request in flight (a {@code /flush} blocks while the client's own requests pass
 * through the relay of the same server), each request handed to the {@link Router}. A
 * {@link Router.BadRequest} answers 400 with its message; any other failure 500 with the
 * exception, never an empty answer.
 */
final class AdapterServer implements AutoCloseable {

    private static final System.Logger log = System.getLogger(AdapterServer.class.getName());

    /** Connections waiting to be accepted, as Tomcat's default accept count. */
    private static final int BACKLOG = 100;

    private final HttpServer server;

    private final ExecutorService executor;

    private final Router router;

    private AdapterServer(HttpServer server, ExecutorService executor, Router router) {
        this.server = server;
        this.executor = executor;
        this.router = router;
    }

    /**
     * Starts a server.
     * @param port the port, 0 for a free one
     * @param router what to serve
     * @return the running server
     * @throws IOException when the port cannot be bound (e.g. it is in use)
     */
    static AdapterServer start(int port, Router router) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), BACKLOG);
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newCachedThreadPool((task) -> {
            Thread thread = new Thread(task, "adapter-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        AdapterServer adapterServer = new AdapterServer(server, executor, router);
        server.createContext("/", adapterServer::handle);
        server.setExecutor(executor);
        server.start();
        return adapterServer;
    }

    /**
     * @return the port the server listens on
     */
    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            Response response;
            try {
                Request request = new Request(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                        exchange.getRequestHeaders(), exchange.getRequestBody().readAllBytes(),
                        exchange.getLocalAddress().getPort());
                response = router.route(request);
            }
            catch (Router.BadRequest ex) {
                response = Response.error(400, ex.getMessage());
            }
            catch (IOException | RuntimeException ex) {
                log.log(Level.ERROR, "adapter " + exchange.getRequestMethod() + " " + uri + " failed", ex);
                response = Response.error(500, exchange.getRequestMethod() + " " + uri.getRawPath() + " failed: " + ex);
            }
            send(exchange, response);
        }
        catch (IOException ex) {
            // The caller went away before the answer was written: nothing left to tell
            // it.
            log.log(Level.DEBUG, "could not answer " + exchange.getRequestURI(), ex);
        }
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        for (Map.Entry<String, List<String>> header : response.headers().entrySet()) {
            exchange.getResponseHeaders().put(header.getKey(), List.copyOf(header.getValue()));
        }
        byte[] body = exchange.getRequestMethod().equals("HEAD") ? new byte[0] : response.body();
        // -1: no body at all (0 would mean a chunked body of unknown length).
        exchange.sendResponseHeaders(response.status(), (body.length == 0) ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * Stops accepting requests, lets the exchanges in flight end within a second, and
     * stops the request threads.
     */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }

}
