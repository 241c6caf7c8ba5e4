package io.github.posthog4j.sample;

import io.github.posthog4j.client.FeatureFlagEvaluations;
import io.github.posthog4j.client.FeatureFlagResult;
import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.PosthogClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The flag panel: every flag's value for a chosen user and where the value came from
 * ({@code local}, {@code remote}, {@code cache}, {@code fallback}), as JSON
 * ({@code GET /api/flags?user=...}): the dashboard's flag panel shows it. Evaluating
 * sends no {@code $feature_flag_called} event (the panel only looks).
 */
@RestController
public class FlagPanel {

    private final PosthogClient posthog;

    public FlagPanel(PosthogClient posthog) {
        this.posthog = posthog;
    }

    /**
     * @param user the distinct id
     * @return the user and one entry per flag: key, value, source, payload (JSON text or
     * null), reason
     */
    @GetMapping("/api/flags")
    public Map<String, Object> flags(@RequestParam(defaultValue = "sample-user") String user) {
        FeatureFlagEvaluations flags = this.posthog.evaluateFlags(user,
                FlagOptions.builder().sendFeatureFlagEvents(false).build());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String key : new TreeSet<>(flags.keys())) {
            FeatureFlagResult r = flags.getResult(key);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("key", key);
            row.put("value", r.value());
            row.put("source", r.source().tag());
            row.put("payload", r.payload());
            row.put("reason", r.reason());
            rows.add(row);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", user);
        body.put("flags", rows);
        return body;
    }

}
