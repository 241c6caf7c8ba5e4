package io.github.posthog4j.test.shop;

import io.github.posthog4j.client.BeforeSendHook;
import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.FeatureFlagEvaluations;
import io.github.posthog4j.client.PosthogClient;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A small application, as a user of the starter writes it: a controller that captures and
 * reads flags, and a before-send hook that scrubs e-mail addresses.
 */
@SpringBootApplication
public class ShopApplication {

    @Bean
    BeforeSendHook scrubEmails() {
        return (event) -> {
            if (event.properties().containsKey("email")) {
                event.properties().put("email", "(scrubbed)");
            }
            return event;
        };
    }

    @RestController
    public static class ShopController {

        private final PosthogClient posthog;

        public ShopController(PosthogClient posthog) {
            this.posthog = posthog;
        }

        @PostMapping("/orders")
        public Map<String, Object> order(@RequestParam String user, @RequestParam int total) {
            boolean newCheckout = posthog.isFeatureEnabled("new-checkout", user);
            posthog.capture(user, "order placed",
                    Map.of("total", total, "checkout", newCheckout ? "new" : "classic", "email", user + "@x.io"));
            return Map.of("user", user, "checkout", newCheckout ? "new" : "classic");
        }

        @GetMapping("/page")
        Map<String, Object> page(@RequestParam String user) {
            FeatureFlagEvaluations flags = posthog.evaluateFlags(user);
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("color", flags.getFlag("button-color"));
            page.put("style", flags.getFlagPayload("button-color"));
            posthog.capture(CaptureOptions.builder(user, "page viewed").flags(flags).build());
            return page;
        }

        @PostMapping("/fail")
        void fail(@RequestParam String user) {
            IllegalStateException failure = new IllegalStateException("payment declined",
                    new java.io.IOException("gateway timeout"));
            posthog.capture(user, "$exception",
                    Map.of("$exception_list",
                            java.util.List.of(
                                    Map.of("type", failure.getClass().getName(), "value", failure.getMessage(),
                                            "mechanism", Map.of("type", "generic", "handled", true)),
                                    Map.of("type", "java.io.IOException", "value", "gateway timeout", "mechanism",
                                            Map.of("type", "chained", "source", "cause")))));
            throw failure;
        }

    }

}
