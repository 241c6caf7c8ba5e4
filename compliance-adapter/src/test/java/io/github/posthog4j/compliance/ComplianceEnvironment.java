package io.github.posthog4j.compliance;

import io.github.posthog4j.compliance.contract.AdapterClient;
import io.github.posthog4j.compliance.contract.MockPosthog;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The adapter (in-process, random port) and the loopback mock PostHog, started once per
 * test JVM and shared by the test classes (each test works under its own test id);
 * stopped by a shutdown hook.
 */
final class ComplianceEnvironment {

    private static MockPosthog mock;

    private static ConfigurableApplicationContext adapterApp;

    private static AdapterClient adapter;

    private ComplianceEnvironment() {
    }

    private static synchronized void ensureStarted() {
        if (adapter != null) {
            return;
        }
        mock = MockPosthog.start();
        adapterApp = new SpringApplicationBuilder(ComplianceAdapterApplication.class).run("--server.port=0");
        String port = adapterApp.getEnvironment().getRequiredProperty("local.server.port");
        adapter = new AdapterClient("http://127.0.0.1:" + port);
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

}
