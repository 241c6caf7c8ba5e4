package io.github.posthog4j.compliance;

import io.github.posthog4j.client.CaptureProtocol;
import io.github.posthog4j.client.CompressionEncoding;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The adapter's command line: options of the form {@code --key=value}, each key one of
 * {@link #OPTIONS}. Anything else fails with a message that says what to write instead. A
 * new option is one more entry in {@link #OPTIONS} and an accessor.
 */
final class AdapterArguments {

    static final String PORT = "port";

    /** The Spring Boot spelling of earlier versions of the adapter, still accepted. */
    static final String SERVER_PORT = "server.port";

    static final int DEFAULT_PORT = 8080;

    /** The capture protocol of the SDK instances: {@code v0} (default) or {@code v1}. */
    static final String CAPTURE_PROTOCOL = "posthog.capture-protocol";

    /**
     * The encoding {@code enable_compression} turns on: {@code gzip} (default) or
     * {@code zstd}.
     */
    static final String COMPRESSION_ENCODING = "posthog.compression-encoding";

    /** The known options by key, in the order of the usage text. */
    static final Map<String, Option> OPTIONS = options();

    private final Map<String, String> values;

    private AdapterArguments(Map<String, String> values) {
        this.values = values;
    }

    /**
     * A known option.
     *
     * @param value what the value is, e.g. {@code <port>}
     * @param help what the option does
     */
    record Option(String value, String help) {
    }

    private static Map<String, Option> options() {
        Map<String, Option> options = new LinkedHashMap<>();
        options.put(PORT, new Option("<port>", "the port to listen on, 0 for a free one (default: PORT from the "
                + "environment, else " + DEFAULT_PORT + ")"));
        options.put(SERVER_PORT, new Option("<port>", "the same as --port"));
        options.put(CAPTURE_PROTOCOL, new Option("v0|v1", "the capture protocol the SDK speaks, declared in "
                + "/health as capture_v0 or capture_v1 (default: v0)"));
        options.put(COMPRESSION_ENCODING, new Option("gzip|zstd", "the encoding enable_compression turns on, "
                + "declared in /health as encoding_gzip or encoding_zstd (default: gzip; zstd needs capture v1)"));
        return options;
    }

    /**
     * Reads {@code --key=value} options.
     * @param args the command line
     * @return the options given
     * @throws IllegalArgumentException naming the argument that is not a known
     * {@code --key=value} option, or a key given twice
     */
    static AdapterArguments parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("expected an option of the form --key=value, got '" + arg + "'"
                        + (arg.startsWith("--") ? " (write " + arg + "=<value>)" : ""));
            }
            String key = arg.substring(2, eq);
            if (!OPTIONS.containsKey(key)) {
                throw new IllegalArgumentException("unknown option --" + key + "; the options are: "
                        + OPTIONS.keySet().stream().map((k) -> "--" + k).collect(Collectors.joining(", ")));
            }
            if (values.putIfAbsent(key, arg.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("--" + key + " is given twice; give it once");
            }
        }
        return new AdapterArguments(values);
    }

    /**
     * @return the usage text: one line per option
     */
    static String usage() {
        return "Usage: java -jar compliance-adapter-<version>.jar [--key=value ...]\n" + OPTIONS.entrySet()
            .stream()
            .map((e) -> String.format("  %-36s %s", "--" + e.getKey() + "=" + e.getValue().value(),
                    e.getValue().help()))
            .collect(Collectors.joining("\n"));
    }

    /**
     * The port to listen on: {@code --port} (or {@code --server.port}), else the
     * {@code PORT} environment variable (as the harness's docker-compose sets it), else
     * {@value #DEFAULT_PORT}.
     * @param environment the process environment
     * @return a port from 0 to 65535
     * @throws IllegalArgumentException when the port given is not a port number, or
     * {@code --port} and {@code --server.port} disagree
     */
    int port(Map<String, String> environment) {
        String port = values.get(PORT);
        String serverPort = values.get(SERVER_PORT);
        if (port != null && serverPort != null && !port.equals(serverPort)) {
            throw new IllegalArgumentException(
                    "--port=" + port + " and --server.port=" + serverPort + " disagree; give one of them");
        }
        if (port != null || serverPort != null) {
            return parsePort((port != null) ? port : serverPort, (port != null) ? "--port" : "--server.port");
        }
        String fromEnvironment = environment.get("PORT");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return parsePort(fromEnvironment.trim(), "the PORT environment variable");
        }
        return DEFAULT_PORT;
    }

    /**
     * @return the capture protocol of {@code --posthog.capture-protocol}, default v0
     * @throws IllegalArgumentException when it is neither v0 nor v1
     */
    CaptureProtocol captureProtocol() {
        String value = values.getOrDefault(CAPTURE_PROTOCOL, "v0").trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "v0" -> CaptureProtocol.V0;
            case "v1" -> CaptureProtocol.V1;
            default -> throw new IllegalArgumentException(
                    "--" + CAPTURE_PROTOCOL + " must be v0 or v1, got '" + values.get(CAPTURE_PROTOCOL) + "'");
        };
    }

    /**
     * @return the encoding of {@code --posthog.compression-encoding}, default gzip
     * @throws IllegalArgumentException when it is neither gzip nor zstd, or zstd without
     * capture v1
     */
    CompressionEncoding compressionEncoding() {
        String value = values.getOrDefault(COMPRESSION_ENCODING, "gzip").trim().toLowerCase(Locale.ROOT);
        CompressionEncoding encoding = switch (value) {
            case "gzip" -> CompressionEncoding.GZIP;
            case "zstd" -> CompressionEncoding.ZSTD;
            default -> throw new IllegalArgumentException("--" + COMPRESSION_ENCODING + " must be gzip or zstd, got '"
                    + values.get(COMPRESSION_ENCODING) + "'");
        };
        if (encoding == CompressionEncoding.ZSTD && captureProtocol() != CaptureProtocol.V1) {
            throw new IllegalArgumentException("--" + COMPRESSION_ENCODING + "=zstd needs --" + CAPTURE_PROTOCOL
                    + "=v1: only capture v1 accepts zstd bodies");
        }
        return encoding;
    }

    private static int parsePort(String value, String source) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        }
        catch (NumberFormatException ex) {
            // reported below
        }
        throw new IllegalArgumentException(
                source + " must be a port number from 0 to 65535 (0 picks a free port), got '" + value + "'");
    }

}
