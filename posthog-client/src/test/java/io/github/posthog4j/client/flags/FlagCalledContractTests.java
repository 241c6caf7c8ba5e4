package io.github.posthog4j.client.flags;

import static io.github.posthog4j.client.flags.FlagsFixtures.flagCalledEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogClientBuilder;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PostHog's {@code feature-flag-called-tracker} spec: the {@code @both} and
 * {@code @server} tracker scenarios, and the minimal event mode (its gate from
 * {@code /flags} and from the definitions, surviving a 304).
 */
class FlagCalledContractTests {

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final AtomicReference<String> flagsBody = new AtomicReference<>(flags(null, null));

    private final AtomicReference<String> definitions = new AtomicReference<>(definitions(true));

    private ManagedPosthogClient client;

    FlagCalledContractTests() {
        posthog.route("/flags", request -> Reply.ok().json(flagsBody.get()));
        posthog.route("/api/feature_flag/local_evaluation", request -> {
            if ("\"d1\"".equals(request.headers().get("if-none-match"))) {
                return new Reply(304, Map.of("ETag", "\"d1\""), Duration.ZERO, "", "application/json");
            }
            return Reply.ok().json(definitions.get()).header("ETag", "\"d1\"");
        });
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        posthog.close();
    }

    /**
     * A /flags answer with beta-ui on and experiment-ui on.
     * @param gate the minimalFlagCalledEvents value, or null for none
     * @param hasExperiment beta-ui's has_experiment, or null for none
     */
    static String flags(Boolean gate, Boolean hasExperiment) {
        return "{\"flags\": {\"beta-ui\": {\"key\": \"beta-ui\", \"enabled\": true, \"reason\": {\"description\":"
                + " \"Matched\"}, \"metadata\": {\"id\": 7, \"version\": 2"
                + ((hasExperiment != null) ? ", \"has_experiment\": " + hasExperiment : "") + "}},"
                + " \"experiment-ui\": {\"key\": \"experiment-ui\", \"enabled\": true,"
                + " \"metadata\": {\"has_experiment\": true}}}, \"requestId\": \"r-9\""
                + ((gate != null) ? ", \"minimalFlagCalledEvents\": " + gate : "") + "}";
    }

    /** beta-ui (has_experiment false, on) and company-beta (group flag on company). */
    static String definitions(boolean gate) {
        return ("{'flags': [{'id': 1, 'key': 'beta-ui', 'active': true, 'has_experiment': false, 'filters':"
                + " {'groups': [{'properties': [], 'rollout_percentage': 100}]}},"
                + "{'id': 2, 'key': 'company-beta', 'active': true, 'filters': {'aggregation_group_type_index': 0,"
                + " 'groups': [{'properties': [], 'rollout_percentage': 100}]}}],"
                + " 'group_type_mapping': {'0': 'company', '1': 'team'}, 'cohorts': {}, 'minimal_flag_called_events': "
                + gate + "}")
            .replace('\'', '"');
    }

    private ManagedPosthogClient start(UnaryOperator<PosthogClientBuilder> settings) {
        client = settings
            .apply(PosthogClient.builder("test-token")
                .host(posthog.url())
                .flushInterval(Duration.ofMillis(20))
                .superProperty("team", "growth"))
            .build();
        return client;
    }

    private ManagedPosthogClient startLocal(Duration pollInterval) {
        start(b -> b.personalApiKey("phx_personal")
            .localEvaluation(true)
            .flagsPollInterval(pollInterval)
            .flagsInitialLoadWait(Duration.ofSeconds(5)));
        await().atMost(Duration.ofSeconds(5)).until(() -> client.flagsStatus().definitionsLoaded());
        return client;
    }

    private List<JsonNode> called(String key) {
        client.flush();
        return flagCalledEvents(posthog).stream()
            .filter(e -> e.path("properties").path("$feature_flag").asText().equals(key))
            .toList();
    }

    private JsonNode onlyCalled(String key) {
        List<JsonNode> events = called(key);
        assertThat(events).hasSize(1);
        return events.get(0).path("properties");
    }

    private static void assertFull(JsonNode p) {
        assertThat(p.path("team").asText()).isEqualTo("growth");
        assertThat(p.has("$feature/beta-ui") || p.has("$feature/experiment-ui")).isTrue();
    }

    @Test
    void trackerEmitsTheFirstFlagCalledEventForAValue() {
        start(b -> b);
        client.getFeatureFlag("beta-ui", "user-123");

        JsonNode p = onlyCalled("beta-ui");
        assertThat(p.path("$feature_flag").asText()).isEqualTo("beta-ui");
        assertThat(p.path("$feature_flag_response").asBoolean()).isTrue();
    }

    @Test
    void trackerSuppressesDuplicatesAndEmitsAgainWhenTheValueChanges() {
        start(b -> b);
        client.getFeatureFlag("beta-ui", "user-123");
        client.getFeatureFlag("beta-ui", "user-123");
        assertThat(called("beta-ui")).hasSize(1);

        flagsBody.set(flags(null, null).replace("\"enabled\": true, \"reason\"", "\"enabled\": false, \"reason\""));
        client.getFeatureFlag("beta-ui", "user-123");

        assertThat(called("beta-ui")).extracting(e -> e.path("properties").path("$feature_flag_response").asBoolean())
            .containsExactly(true, false);
    }

    @Test
    void trackerSuppressesDuplicatesForTheSameServerGroupContext() {
        startLocal(Duration.ofMinutes(5));
        Map<String, String> groups = new java.util.LinkedHashMap<>();
        groups.put("company", "company-123");
        groups.put("team", "team-1");
        Map<String, String> reordered = new java.util.LinkedHashMap<>();
        reordered.put("team", "team-1");
        reordered.put("company", "company-123");

        client.getFeatureFlag("company-beta", "user-123", FlagOptions.builder().groups(groups).build());
        client.getFeatureFlag("company-beta", "user-123", FlagOptions.builder().groups(reordered).build());

        assertThat(called("company-beta")).hasSize(1);
    }

    @Test
    void trackerEmitsAgainWhenTheServerGroupContextChanges() {
        startLocal(Duration.ofMinutes(5));

        client.getFeatureFlag("company-beta", "user-123",
                FlagOptions.builder().group("company", "company-123").build());
        client.getFeatureFlag("company-beta", "user-123",
                FlagOptions.builder().group("company", "company-456").build());

        assertThat(called("company-beta")).hasSize(2);
    }

    @Test
    void fullEventWhenTheServerDoesNotReportTheGate() {
        flagsBody.set(flags(null, false));
        start(b -> b);
        client.getFeatureFlag("beta-ui", "user-123");

        assertFull(onlyCalled("beta-ui"));
    }

    @Test
    void fullEventWhenTheFlagsExperimentLinkageIsUnknown() {
        flagsBody.set(flags(true, null));
        start(b -> b);
        client.getFeatureFlag("beta-ui", "user-123");

        JsonNode p = onlyCalled("beta-ui");
        assertFull(p);
        assertThat(p.has("$feature_flag_has_experiment")).isFalse();
    }

    @Test
    void fullEventWhenTheFlagIsLinkedToAnExperiment() {
        flagsBody.set(flags(true, false));
        start(b -> b);
        client.getFeatureFlag("experiment-ui", "user-123");

        JsonNode p = onlyCalled("experiment-ui");
        assertFull(p);
        assertThat(p.path("$feature_flag_has_experiment").asBoolean()).isTrue();
    }

    @Test
    void minimalEventWhenGatedOnAndTheFlagHasNoExperiment() {
        flagsBody.set(flags(true, false));
        start(b -> b);
        client.register("utm_source", "newsletter");
        client.getFeatureFlag("beta-ui", "user-123", FlagOptions.builder().group("company", "acme").build());

        JsonNode p = onlyCalled("beta-ui");
        assertThat(p.path("$feature_flag").asText()).isEqualTo("beta-ui");
        assertThat(p.path("$feature_flag_response").asBoolean()).isTrue();
        assertThat(p.path("$feature_flag_has_experiment").asBoolean(true)).isFalse();
        assertThat(p.path("$feature_flag_request_id").asText()).isEqualTo("r-9");
        assertThat(p.path("$feature_flag_id").asLong()).isEqualTo(7);
        assertThat(p.path("$groups").path("company").asText()).isEqualTo("acme");
        assertThat(p.path("$lib").asText()).isNotEmpty();
        assertThat(p.path("utm_source").asText()).isEqualTo("newsletter"); // session
                                                                           // attribution
                                                                           // survives
        assertThat(p.has("team")).isFalse();
        assertThat(p.has("$feature/beta-ui")).isFalse();
    }

    @Test
    void gatePersistsAcrossALocalEvaluationDefinitionsRefreshVia304() {
        AtomicInteger definitionLoads = new AtomicInteger();
        posthog.route("/api/feature_flag/local_evaluation", request -> {
            definitionLoads.incrementAndGet();
            if ("\"d1\"".equals(request.headers().get("if-none-match"))) {
                return new Reply(304, Map.of("ETag", "\"d1\""), Duration.ZERO, "", "application/json");
            }
            return Reply.ok().json(definitions(true)).header("ETag", "\"d1\"");
        });
        startLocal(Duration.ofMillis(100));
        await().atMost(Duration.ofSeconds(5)).until(() -> definitionLoads.get() >= 3); // then
                                                                                       // 304s

        client.getFeatureFlag("beta-ui", "user-123");

        JsonNode p = onlyCalled("beta-ui");
        assertThat(p.path("locally_evaluated").asBoolean()).isTrue();
        assertThat(p.path("$feature_flag_has_experiment").asBoolean(true)).isFalse();
        assertThat(p.has("team")).isFalse();
        assertThat(p.has("$feature/beta-ui")).isFalse();
    }

    @Test
    void localEvaluationWithoutTheGateSendsTheFullEvent() {
        definitions.set(definitions(false));
        startLocal(Duration.ofMinutes(5));

        client.getFeatureFlag("beta-ui", "user-123");

        assertFull(onlyCalled("beta-ui"));
    }

}
