package io.github.posthog4j.compliance;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The SDK adapter of PostHog's compliance harness (posthog-sdk-test-harness) for this
 * client. Listens on {@code PORT} (default 8080; {@code --server.port} wins). See this
 * module's README.md.
 */
@SpringBootApplication
public class ComplianceAdapterApplication {

    public static void main(String[] args) {
        SpringApplication.run(ComplianceAdapterApplication.class, args);
    }

}
