package io.github.posthog4j.client.flags;

import static io.github.posthog4j.client.flags.FlagsFixtures.flagsRequests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.FeatureFlagEvaluations;
import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.FlagSource;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code @server} scenarios of {@code evaluate-flags} that involve local definitions:
 * scoped remote fallback, request-time keys, local-only, remote failure.
 */
class EvaluateFlagsLocalContractTests {

    /**
     * {@code beta-ui}: on for everyone. {@code search}: off for everyone.
     * {@code needs-plan}: needs person property {@code plan} (inconclusive without).
     */
    static final String DEFINITIONS = ("{'flags': ["
            + "{'id': 1, 'key': 'beta-ui', 'active': true, 'filters': {'groups': [{'properties': [],"
            + " 'rollout_percentage': 100}]}},"
            + "{'id': 2, 'key': 'search', 'active': true, 'filters': {'groups': [{'properties': [],"
            + " 'rollout_percentage': 0}]}},"
            + "{'id': 3, 'key': 'needs-plan', 'active': true, 'filters': {'groups': [{'properties':"
            + " [{'key': 'plan', 'value': ['pro'], 'operator': 'exact', 'type': 'person'}],"
            + " 'rollout_percentage': 100}]}}" + "], 'group_type_mapping': {}, 'cohorts': {}}")
        .replace('\'', '"');

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final AtomicReference<Reply> flagsReply = new AtomicReference<>(Reply.ok()
        .json("{\"flags\": {\"beta-ui\": {\"key\": \"beta-ui\", \"enabled\": false},"
                + " \"checkout\": {\"key\": \"checkout\", \"enabled\": true, \"variant\": \"blue\"},"
                + " \"needs-plan\": {\"key\": \"needs-plan\", \"enabled\": true}}}"));

    private final ManagedPosthogClient client;

    EvaluateFlagsLocalContractTests() {
        posthog.route("/flags", request -> flagsReply.get());
        posthog.route("/api/feature_flag/local_evaluation", request -> Reply.ok().json(DEFINITIONS));
        client = PosthogClient.builder("phc_eval")
            .host(posthog.url())
            .personalApiKey("phx_personal")
            .localEvaluation(true)
            .flagsInitialLoadWait(Duration.ofSeconds(5))
            .build();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.flagsStatus().definitionsLoaded());
    }

    @AfterEach
    void tearDown() {
        client.close();
        posthog.close();
    }

    @Test
    void firstMissingRequestedLocalDefinitionTriggersScopedRemoteFallback() {
        FeatureFlagEvaluations flags = client.evaluateFlags("user-123",
                FlagOptions.builder().flagKeys(List.of("beta-ui", "checkout")).build());

        assertThat(flagsRequests(posthog)).singleElement()
            .satisfies(r -> assertThat(r.json().path("flag_keys_to_evaluate")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("beta-ui", "checkout"));
        assertThat(flags.getFlag("beta-ui")).isEqualTo(true); // the local value wins
        assertThat(flags.getResult("beta-ui").source()).isEqualTo(FlagSource.LOCAL);
        assertThat(flags.getFlag("checkout")).isEqualTo("blue");
        assertThat(flags.getResult("checkout").source()).isEqualTo(FlagSource.FALLBACK);
        assertThat(flags.keys()).containsExactlyInAnyOrder("beta-ui", "checkout");
    }

    @Test
    void requestTimeKeysScopeLocallyEvaluatedSnapshotResults() {
        FeatureFlagEvaluations flags = client.evaluateFlags("user-123",
                FlagOptions.builder().flagKeys(List.of("beta-ui", "search")).build());

        assertThat(flags.keys()).containsExactlyInAnyOrder("beta-ui", "search");
        assertThat(flags.getFlag("beta-ui")).isEqualTo(true);
        assertThat(flags.getFlag("search")).isEqualTo(false);
        assertThat(flagsRequests(posthog)).isEmpty();
    }

    @Test
    void localOnlyEvaluationNeverFallsBackRemotely() {
        FeatureFlagEvaluations flags = client.evaluateFlags("user-123",
                FlagOptions.builder().onlyEvaluateLocally(true).build());

        assertThat(flags.getFlag("beta-ui")).isEqualTo(true);
        assertThat(flags.keys()).doesNotContain("needs-plan");
        assertThat(flagsRequests(posthog)).isEmpty();
    }

    @Test
    void remoteFailurePreservesSuccessfullyResolvedLocalFlags() {
        flagsReply.set(Reply.status(500));

        FeatureFlagEvaluations flags = client.evaluateFlags("user-123");

        assertThat(flags.getFlag("beta-ui")).isEqualTo(true);
        assertThat(flags.keys()).doesNotContain("needs-plan");
        flags.isEnabled("beta-ui");
        assertThat(flagsRequests(posthog)).hasSize(1);
    }

}
