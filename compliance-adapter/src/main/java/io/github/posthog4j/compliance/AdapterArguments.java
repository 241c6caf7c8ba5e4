package io.github.posthog4j.compliance;

import java.util.LinkedHashMap;
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
            .map((e) -> String.format("  %-22s %s", "--" + e.getKey() + "=" + e.getValue().value(),
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
