package io.github.posthog4j.client.flags;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.PosthogClientListener;
import io.github.posthog4j.client.RequestReport;
import io.github.posthog4j.testsupport.PosthogStandIn;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Shared definitions documents and helpers of the feature flag tests. */
final class FlagsFixtures {

    /**
     * {@code beta}: on for everyone, payload {@code {"color":"blue"}}. {@code pro-only}:
     * on when person property {@code plan} is {@code pro} (inconclusive without it).
     * {@code org-flag}: on for every company (group flag).
     */
    static final String DEFINITIONS = ("{'flags': ["
            + "{'id': 1, 'key': 'beta', 'active': true, 'filters': {'groups': [{'properties': [],"
            + " 'rollout_percentage': 100}], 'payloads': {'true': '{\\'color\\': \\'blue\\'}'}}},"
            + "{'id': 2, 'key': 'pro-only', 'active': true, 'filters': {'groups': [{'properties':"
            + " [{'key': 'plan', 'value': ['pro'], 'operator': 'exact', 'type': 'person'}],"
            + " 'rollout_percentage': 100}]}},"
            + "{'id': 3, 'key': 'org-flag', 'active': true, 'filters': {'aggregation_group_type_index': 0,"
            + " 'groups': [{'properties': [{'key': 'size', 'value': '100', 'operator': 'gt', 'type': 'group',"
            + " 'group_type_index': 0}], 'rollout_percentage': 100}]}}"
            + "], 'group_type_mapping': {'0': 'company'}, 'cohorts': {}}")
        .replace('\'', '"');

    /** Only {@code beta}, switched off. */
    static final String DEFINITIONS_BETA_OFF = ("{'flags': [{'id': 1, 'key': 'beta', 'active': false,"
            + " 'filters': {'groups': [{'properties': [], 'rollout_percentage': 100}]}}],"
            + " 'group_type_mapping': {}, 'cohorts': {}}")
        .replace('\'', '"');

    private FlagsFixtures() {
    }

    static String v2(String key, boolean enabled, String variant, String payloadJson) {
        return "{\"flags\": {\"" + key + "\": {\"key\": \"" + key + "\", \"enabled\": " + enabled + ", \"variant\": "
                + (variant == null ? "null" : "\"" + variant + "\"")
                + ", \"reason\": {\"code\": \"condition_match\", \"description\": \"Matched condition set 1\","
                + " \"condition_index\": 0}, \"metadata\": {\"id\": 42, \"version\": 3, \"payload\": "
                + (payloadJson == null ? "null" : JsonQuote.quote(payloadJson)) + "}}},"
                + " \"errorsWhileComputingFlags\": false, \"requestId\": \"req-1\", \"evaluatedAt\": 1700000000000}";
    }

    static List<PosthogStandIn.Request> flagsRequests(PosthogStandIn posthog) {
        return posthog.requests().stream().filter(r -> r.path().startsWith("/flags")).toList();
    }

    static List<PosthogStandIn.Request> definitionsRequests(PosthogStandIn posthog) {
        return posthog.requests()
            .stream()
            .filter(r -> r.path().startsWith("/api/feature_flag/local_evaluation"))
            .toList();
    }

    static List<JsonNode> flagCalledEvents(PosthogStandIn posthog) {
        return posthog.events().stream().filter(e -> "$feature_flag_called".equals(e.path("event").asText())).toList();
    }

    /** Collects request reports. */
    static final class Reports implements PosthogClientListener {

        final List<RequestReport> all = new CopyOnWriteArrayList<>();

        @Override
        public void onRequest(RequestReport report) {
            all.add(report);
        }

        List<RequestReport> of(String endpoint) {
            return all.stream().filter(r -> r.endpoint().equals(endpoint)).toList();
        }

    }

    /** JSON string quoting for test documents. */
    static final class JsonQuote {

        private JsonQuote() {
        }

        static String quote(String s) {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
            }
            catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                throw new IllegalStateException(ex);
            }
        }

    }

}
