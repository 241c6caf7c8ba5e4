package io.github.posthog4j.compliance;

import io.github.posthog4j.compliance.contract.AdapterClient;
import io.github.posthog4j.compliance.contract.MockPosthog;

/**
 * The adapter (in-process, random port) and the loopback mock PostHog, started once per
 * test JVM and shared by the test classes (each test works under its own test id);
 * stopped by a shutdown hook.
 */
final class ComplianceEnvironment {

    private static MockPosthog mock;

    private static ComplianceAdapterApplication adapterApp;

    private static AdapterClient adapter;

    private ComplianceEnvironment() {
    }

    private static synchronized void ensureStarted() {
        if (adapter != null) {
            return;
        }
        mock = MockPosthog.start();
        adapterApp = ComplianceAdapterApplication.start("--port=0");
        adapter = new AdapterClient("http://127.0.0.1:" + adapterApp.port());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            adapterApp.close();
            mock.close();
        }, "compliance-environment-stop"));
    }

    static synchronized MockPosthog mock() {
        ensureStarted();
        return mock;
    }

    static synchronized AdapterClient adapter() {
        ensureStarted();
        return adapter;
    }

    private static final java.util.Map<String, AdapterClient> MODES = new java.util.HashMap<>();

    /**
     * An adapter started with other options (a mode:
     * {@code --posthog.capture-protocol=v1} ...), once per JVM, sharing the mock.
     * @param args the adapter's options besides the port
     * @return a client of that adapter
     */
    static synchronized AdapterClient adapter(String... args) {
        ensureStarted();
        if (args.length == 0) {
            return adapter;
        }
        String key = String.join(" ", args);
        AdapterClient existing = MODES.get(key);
        if (existing != null) {
            return existing;
        }
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = "--port=0";
        ComplianceAdapterApplication app = ComplianceAdapterApplication.start(all);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "compliance-environment-stop-mode"));
        AdapterClient client = new AdapterClient("http://127.0.0.1:" + app.port());
        MODES.put(key, client);
        return client;
    }

    static synchronized int adapterPort() {
        ensureStarted();
        return adapterApp.port();
    }

}
