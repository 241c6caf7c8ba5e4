package io.github.posthog4j.sample;

import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.FeatureFlagEvaluations;
import io.github.posthog4j.client.PosthogClient;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An endpoint whose behaviour depends on feature flags: the flags are evaluated once per
 * request into a snapshot (locally, from definitions the client polls), the response
 * follows them, and the event captured for the request carries them
 * ({@code $feature/new-checkout}, {@code $active_feature_flags}).
 */
@RestController
@RequestMapping("/api")
public class CheckoutController {

    private final PosthogClient posthog;

    public CheckoutController(PosthogClient posthog) {
        this.posthog = posthog;
    }

    @GetMapping("/checkout")
    public Map<String, Object> checkout(@RequestParam String user) {
        FeatureFlagEvaluations flags = posthog.evaluateFlags(user);
        boolean newCheckout = flags.isEnabled("new-checkout");
        Object color = flags.getFlag("button-color");
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("user", user);
        page.put("checkout", newCheckout ? "new" : "classic");
        page.put("buttonColor", color);
        page.put("buttonStyle", flags.getFlagPayload("button-color"));
        posthog.capture(CaptureOptions.builder(user, "checkout viewed")
            .flags(flags)
            .property("checkout", page.get("checkout"))
            .build());
        return page;
    }

}
