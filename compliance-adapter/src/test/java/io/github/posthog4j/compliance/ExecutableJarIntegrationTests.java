package io.github.posthog4j.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged adapter as the README runs it, {@code java -jar target/<jar>} in a process
 * of its own (run by Failsafe after {@code package}): it serves, takes its port from
 * {@code --port} or {@code PORT}, stops on SIGTERM, and refuses a bad option or a port in
 * use with a message and an exit status, without a stack trace.
 */
class ExecutableJarIntegrationTests {

    private static final Pattern LISTENING = Pattern.compile("PostHog compliance adapter listening on port (\\d+)");

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("adapter.jar", "target/compliance-adapter.jar"));
        assertThat(jar).as("the packaged adapter (set by Failsafe as adapter.jar)").isRegularFile();
        return jar;
    }

    private Process java(Map<String, String> environment, String... args) throws IOException {
        Path jar = jar();
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("PORT");
        builder.environment().putAll(environment);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static int listeningPort(Process process) throws Exception {
        BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            }
            catch (IOException ex) {
                return null;
            }
        }).get(60, TimeUnit.SECONDS);
        assertThat(line).as("first line of the adapter's output; stderr: %s", stderr(process)).isNotNull();
        Matcher matcher = LISTENING.matcher(line);
        assertThat(matcher.matches()).as("first line: %s", line).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    private static String stderr(Process process) {
        if (process.isAlive()) {
            return "(still running)";
        }
        try {
            return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            return ex.toString();
        }
    }

    private static HttpResponse<String> health(int port) throws Exception {
        return HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void servesTheAdapterAndStopsOnSigterm() throws Exception {
        Process process = java(Map.of(), "--port=0");
        int port = listeningPort(process);
        HttpResponse<String> health = health(port);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"sdk_name\":\"posthog-spring-boot\"")
            .contains("\"capabilities\":[\"capture_v0\",\"capture_ai_v0\",\"encoding_gzip\"]");

        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the adapter ends on SIGTERM").isTrue();
    }

    @Test
    void inCaptureV1ModeWithZstdDeclaresThemAndLoadsZstdFromTheJar() throws Exception {
        Process process = java(Map.of(), "--port=0", "--posthog.capture-protocol=v1",
                "--posthog.compression-encoding=zstd");
        int port = listeningPort(process);
        assertThat(health(port).body())
            .contains("\"capabilities\":[\"capture_v1\",\"capture_ai_v0\",\"encoding_zstd\"]");
        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void takesItsPortFromTheEnvironment() throws Exception {
        int free = freePort();
        Process process = java(Map.of("PORT", String.valueOf(free)));
        assertThat(listeningPort(process)).isEqualTo(free);
        assertThat(health(free).statusCode()).isEqualTo(200);
    }

    @Test
    void aBadOptionEndsWithItsMessageAndStatus2() throws Exception {
        Process process = java(Map.of(), "--port", "9090");
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(stderr(process))
            .startsWith("compliance-adapter: expected an option of the form --key=value, got '--port' "
                    + "(write --port=<value>)")
            .contains("Usage: java -jar compliance-adapter-<version>.jar")
            .doesNotContain("Exception");
    }

    @Test
    void aPortInUseEndsWithItsMessageAndStatus1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Process process = java(Map.of(), "--port=" + taken.getLocalPort());
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(1);
            assertThat(stderr(process)).startsWith("compliance-adapter: port " + taken.getLocalPort() + " is in use")
                .contains("choose another port with --port=<port> or PORT")
                .doesNotContain("Exception");
        }
    }

    @Test
    void theJarHoldsTheClientAndJacksonButNoSpring() throws Exception {
        Path jar = jar();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<String> entries = zip.stream().map(ZipEntry::getName).toList();
            assertThat(entries).contains("io/github/posthog4j/client/PosthogClient.class",
                    "com/fasterxml/jackson/databind/ObjectMapper.class");
            assertThat(entries).noneMatch((name) -> name.startsWith("org/springframework/"));
        }
    }

}
