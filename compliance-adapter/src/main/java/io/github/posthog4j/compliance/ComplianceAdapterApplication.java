package io.github.posthog4j.compliance;

import java.io.IOException;
import java.net.BindException;
import java.util.Arrays;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The SDK adapter of PostHog's compliance harness (posthog-sdk-test-harness) for this
 * client: a plain-Java program on the JDK's HTTP server. Listens on {@code --port}
 * ({@code --server.port}), else {@code PORT} from the environment, else 8080. See this
 * module's README.md.
 */
public final class ComplianceAdapterApplication implements AutoCloseable {

    /**
     * The client logs warnings (drops, outages) and a few INFO lines (recoveries); the
     * adapter shows warnings only. Held here: java.util.logging keeps loggers weakly.
     */
    private static final Logger CLIENT_LOGGER = Logger.getLogger("io.github.posthog4j");

    private final SdkInstances instances;

    private final AdapterServer server;

    private ComplianceAdapterApplication(SdkInstances instances, AdapterServer server) {
        this.instances = instances;
        this.server = server;
    }

    /**
     * Runs the adapter until the JVM ends. Bad options, or a port in use, end it with a
     * message and exit status 2 or 1.
     * @param args {@code --key=value} options, see {@link #start}
     */
    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help")) {
            System.out.println(AdapterArguments.usage());
            return;
        }
        ComplianceAdapterApplication adapter;
        try {
            adapter = start(args);
        }
        catch (IllegalArgumentException ex) {
            System.err.println("compliance-adapter: " + ex.getMessage() + "\n" + AdapterArguments.usage());
            System.exit(2);
            return;
        }
        catch (IllegalStateException ex) {
            System.err.println("compliance-adapter: " + ex.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(adapter::close, "compliance-adapter-stop"));
        System.out.println("PostHog compliance adapter listening on port " + adapter.port());
    }

    /**
     * Starts the adapter.
     * @param args {@code --key=value} options: {@code --port} (or {@code --server.port}),
     * else {@code PORT} from the environment, else 8080; 0 picks a free port;
     * {@code --posthog.capture-protocol=v0|v1};
     * {@code --posthog.compression-encoding=gzip|zstd}
     * @return the running adapter; {@link #close()} stops it
     * @throws IllegalArgumentException when an option is unknown or malformed
     * @throws IllegalStateException when the port cannot be bound
     */
    static ComplianceAdapterApplication start(String... args) {
        AdapterArguments arguments = AdapterArguments.parse(args);
        int port = arguments.port(System.getenv());
        AdapterMode mode = AdapterMode.of(arguments);
        CLIENT_LOGGER.setLevel(Level.WARNING);
        SdkInstances instances = new SdkInstances();
        Router router = new AdapterEndpoints(instances, mode).addTo(new Router())
            .prefix(TestIdRelay.PREFIX, new TestIdRelay(instances));
        try {
            return new ComplianceAdapterApplication(instances, AdapterServer.start(port, router));
        }
        catch (BindException ex) {
            throw new IllegalStateException("port " + port + " is in use (" + ex.getMessage()
                    + "): stop what listens there, or choose another port with --port=<port> or PORT", ex);
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot listen on port " + port + ": " + ex, ex);
        }
    }

    /**
     * @return the port the adapter listens on
     */
    int port() {
        return server.port();
    }

    /**
     * Closes every SDK instance (each delivers what it still holds within its shutdown
     * timeout, through the relay while the server still runs), then stops the server.
     * Idempotent.
     */
    @Override
    public void close() {
        instances.close();
        server.close();
    }

}
