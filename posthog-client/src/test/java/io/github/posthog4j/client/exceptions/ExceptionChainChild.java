package io.github.posthog4j.client.exceptions;

import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.errors.TypeError;
import java.util.List;

/**
 * A JVM whose exception is raised through the call chain {@code main -> handler -> boom}
 * (the capture-exception scenario "Frames are ordered entry point first, crash site
 * last"): {@code main} is the real entry point of the process, so it is the outermost
 * frame of the stack. Argument: the PostHog host.
 */
public final class ExceptionChainChild {

    private ExceptionChainChild() {
    }

    public static void main(String[] args) {
        try (ManagedPosthogClient client = PosthogClient.builder("phc_chain")
            .host(args[0])
            .inAppPackages(List.of("io.github.posthog4j.client.exceptions"))
            .build()) {
            try {
                handler();
            }
            catch (TypeError ex) {
                client.captureException(ex, "chain-user");
            }
            client.flush();
        }
    }

    static void handler() {
        boom();
    }

    static void boom() {
        throw new TypeError("boom");
    }

}
