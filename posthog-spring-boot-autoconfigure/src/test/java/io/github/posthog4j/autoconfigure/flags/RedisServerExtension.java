package io.github.posthog4j.autoconfigure.flags;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real {@code redis-server} processes for a test: {@link #start()} launches one on a free
 * loopback port (no persistence, its own working directory) and waits until it answers
 * {@code PING}; {@link #kill()} ends it with SIGKILL (a crash), {@link #stop()} with
 * SIGTERM. Every process still running is killed after the test. Needs the
 * {@code redis-server} binary: {@code scripts/ensure-tools.sh} installs it. Register with
 * {@code @RegisterExtension}.
 */
public final class RedisServerExtension implements AfterEachCallback {

    private final List<Process> processes = new ArrayList<>();

    private Process process;

    private int port;

    /**
     * Starts a redis-server on a free port.
     * @return this extension
     */
    public RedisServerExtension start() {
        String binary = binary();
        try {
            this.port = freePort();
            Path dir = Files.createTempDirectory("posthog-redis-test");
            ProcessBuilder pb = new ProcessBuilder(binary, "--port", Integer.toString(this.port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--protected-mode", "no")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile());
            this.process = pb.start();
            this.processes.add(this.process);
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not start " + binary + ": " + ex, ex);
        }
        Process started = this.process;
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
                if (!started.isAlive()) {
                    throw new IllegalStateException("redis-server exited before it answered PING on port " + this.port);
                }
                return ping();
            });
        }
        catch (ConditionTimeoutException ex) {
            throw new IllegalStateException("redis-server did not answer PING on port " + this.port, ex);
        }
        return this;
    }

    private static String binary() {
        for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "redis-server is not installed: run scripts/ensure-tools.sh (Debian package redis-server)");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * @return whether the server answers {@code PING}
     */
    public boolean ping() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 500);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = in.read(buf);
            return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        }
        catch (IOException ex) {
            return false;
        }
    }

    /**
     * @return the port of the running server
     */
    public int port() {
        return this.port;
    }

    /** Ends the server with SIGKILL and waits until it is gone. */
    public void kill() {
        end(true);
    }

    /** Ends the server with SIGTERM and waits until it is gone. */
    public void stop() {
        end(false);
    }

    private void end(boolean forcibly) {
        Process p = this.process;
        if (p == null) {
            return;
        }
        if (forcibly) {
            p.destroyForcibly();
        }
        else {
            p.destroy();
        }
        try {
            if (!p.waitFor(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (Process p : this.processes) {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        this.processes.clear();
        this.process = null;
    }

}
