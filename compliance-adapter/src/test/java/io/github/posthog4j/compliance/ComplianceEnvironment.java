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

    static synchronized int adapterPort() {
        ensureStarted();
        return adapterApp.port();
    }

}
