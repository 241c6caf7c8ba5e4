package io.github.posthog4j.client.flags;

import static io.github.posthog4j.client.flags.FlagsFixtures.DEFINITIONS;
import static io.github.posthog4j.client.flags.FlagsFixtures.DEFINITIONS_BETA_OFF;
import static io.github.posthog4j.client.flags.FlagsFixtures.definitionsRequests;
import static io.github.posthog4j.client.flags.FlagsFixtures.flagCalledEvents;
import static io.github.posthog4j.client.flags.FlagsFixtures.flagsRequests;
import static io.github.posthog4j.client.flags.FlagsFixtures.v2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.FeatureFlagEvaluations;
import io.github.posthog4j.client.FeatureFlagResult;
import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogClientBuilder;
import io.github.posthog4j.client.PosthogFlagsStatus;
import io.github.posthog4j.client.RequestReport;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.github.posthog4j.testsupport.LogCapture;
import io.github.posthog4j.testsupport.LogCapture.CapturedLog;

/**
 * Local evaluation: the definitions poller against a loopback PostHog, local-first
 * evaluation, fallbacks.
 */
class LocalEvaluationTests {

    private static final String PERSONAL_KEY = "phx_personal_secret";

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final FlagsFixtures.Reports reports = new FlagsFixtures.Reports();

    /**
     * Scripted definitions replies; when empty, {@link #definitions} with ETag "v1" (304
     * if it matches).
     */
    private final ConcurrentLinkedQueue<Reply> definitionReplies = new ConcurrentLinkedQueue<>();

    private final AtomicReference<String> definitions = new AtomicReference<>(DEFINITIONS);

    private final AtomicReference<String> flagsBody = new AtomicReference<>(v2("pro-only", true, null, null));

    private ManagedPosthogClient client;

    LocalEvaluationTests() {
        posthog.route("/api/feature_flag/local_evaluation", request -> {
            Reply scripted = definitionReplies.poll();
            if (scripted != null) {
                return scripted;
            }
            String etag = "\"" + Integer.toHexString(definitions.get().hashCode()) + "\"";
            if (etag.equals(request.headers().get("if-none-match"))) {
                return new Reply(304, Map.of("ETag", etag), Duration.ZERO, "", "application/json");
            }
            return Reply.ok().json(definitions.get()).header("ETag", etag);
        });
        posthog.route("/flags", request -> Reply.ok().json(flagsBody.get()));
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        posthog.close();
    }

    private PosthogClientBuilder builder() {
        return PosthogClient.builder("phc_local")
            .host(posthog.url())
            .flushInterval(Duration.ofMillis(20))
            .personalApiKey(PERSONAL_KEY)
            .localEvaluation(true)
            .flagsPollInterval(Duration.ofMillis(100))
            .flagsInitialLoadWait(Duration.ofSeconds(5))
            .listener(reports);
    }

    private ManagedPosthogClient startLoaded() {
        client = builder().build();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.flagsStatus().definitionsLoaded());
        return client;
    }

    @Test
    void whenStartedShouldLoadDefinitionsWithPersonalKeyAndToken() {
        startLoaded();

        PosthogStandIn.Request request = definitionsRequests(posthog).get(0);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/api/feature_flag/local_evaluation/");
        assertThat(request.query()).isEqualTo("token=phc_local&send_cohorts");
        assertThat(request.headers()).containsEntry("authorization", "Bearer " + PERSONAL_KEY);
        PosthogFlagsStatus status = client.flagsStatus();
        assertThat(status.flagCount()).isEqualTo(3);
        assertThat(status.pollerRunning()).isTrue();
        assertThat(status.lastLoaderError()).isNull();
        assertThat(status.definitionsAge()).isNotNull();
        assertThat(reports.of("definitions")).isNotEmpty();
    }

    @Test
    void whenFlagCanBeDecidedLocallyShouldNotAskPosthog() {
        startLoaded();

        FeatureFlagResult beta = client.getFeatureFlagResult("beta", "user_1");
        assertThat(beta.enabled()).isTrue();
        assertThat(beta.locallyEvaluated()).isTrue();
        assertThat(beta.payload()).isEqualTo("{\"color\":\"blue\"}");
        assertThat(client.isFeatureEnabled("pro-only", "user_1",
                FlagOptions.builder().personProperty("plan", "free").build()))
            .isFalse();

        assertThat(flagsRequests(posthog)).isEmpty();
        assertThat(client.flagsStatus().localEvaluations()).isEqualTo(2);
        client.flush();
        assertThat(flagCalledEvents(posthog)).first()
            .satisfies(e -> assertThat(e.path("properties").path("locally_evaluated").asBoolean()).isTrue());
    }

    @Test
    void whenLocalEvaluationIsInconclusiveShouldFallBackToPosthog() {
        startLoaded();

        assertThat(client.isFeatureEnabled("pro-only", "user_1")).isTrue(); // no plan
                                                                            // given: ask
                                                                            // PostHog
        assertThat(client.isFeatureEnabled("unknown-flag", "user_1")).isFalse();

        assertThat(flagsRequests(posthog)).hasSize(2);
        assertThat(client.flagsStatus().fallbackEvaluations()).isEqualTo(2);
    }

    @Test
    void whenOnlyLocalEvaluationIsAllowedShouldNeverAskPosthog() {
        startLoaded();

        FlagOptions local = FlagOptions.builder().onlyEvaluateLocally(true).build();
        assertThat(client.getFeatureFlag("pro-only", "user_1", local)).isNull();
        // org-flag is a group flag evaluated without its group: inconclusive, so absent
        assertThat(client.getAllFlags("user_1", local)).containsOnlyKeys("beta");

        assertThat(flagsRequests(posthog)).isEmpty();
    }

    @Test
    void whenGroupFlagIsEvaluatedWithoutItsGroupShouldAskPosthog() {
        // spec local-feature-flag-evaluator: "Evaluator signals remote fallback when
        // required context is missing"
        flagsBody.set(v2("org-flag", true, null, null));
        startLoaded();

        assertThat(client.isFeatureEnabled("org-flag", "user_1",
                FlagOptions.builder().group("company", "acme").groupProperty("company", "size", 500).build()))
            .isTrue();
        assertThat(flagsRequests(posthog)).isEmpty();

        assertThat(client.getFeatureFlagResult("org-flag", "user_1")).satisfies((r) -> {
            assertThat(r.enabled()).isTrue();
            assertThat(r.source()).isEqualTo(io.github.posthog4j.client.FlagSource.FALLBACK);
        });
        assertThat(flagsRequests(posthog)).singleElement()
            .satisfies((r) -> assertThat(r.json().path("flag_keys_to_evaluate")).extracting(JsonNode::asText)
                .containsExactly("org-flag"));
        assertThat(client.flagsStatus().fallbackEvaluations()).isEqualTo(1);
    }

    @Test
    void whenAllFlagsNeedOneRemoteAnswerShouldAskOnceAndKeepLocalValues() {
        flagsBody.set("{\"flags\": {\"pro-only\": {\"key\": \"pro-only\", \"enabled\": true},"
                + " \"beta\": {\"key\": \"beta\", \"enabled\": false}, \"server-only\": {\"key\": \"server-only\","
                + " \"enabled\": true, \"variant\": \"x\"}, \"org-flag\": {\"key\": \"org-flag\", \"enabled\": false}}}");
        startLoaded();

        Map<String, Object> all = client.getAllFlags("user_1");

        assertThat(all).containsEntry("beta", true)
            .containsEntry("pro-only", true)
            .containsEntry("server-only", "x")
            .containsEntry("org-flag", false);
        assertThat(flagsRequests(posthog)).hasSize(1);
    }

    @Test
    void whenDefinitionsAreUnchangedShouldSendEtagAndKeepThemOn304() {
        startLoaded();
        await().atMost(Duration.ofSeconds(5))
            .until(() -> reports.of("definitions").stream().anyMatch(r -> r.statusCode() == 304));

        List<PosthogStandIn.Request> requests = definitionsRequests(posthog);
        assertThat(requests.get(0).headers()).doesNotContainKey("if-none-match");
        assertThat(requests.get(requests.size() - 1).headers()).containsKey("if-none-match");
        assertThat(client.isFeatureEnabled("beta", "user_1")).isTrue();
        assertThat(client.flagsStatus().flagCount()).isEqualTo(3);

        definitions.set(DEFINITIONS_BETA_OFF);
        await().atMost(Duration.ofSeconds(5)).until(() -> client.flagsStatus().flagCount() == 1);
        assertThat(client.isFeatureEnabled("beta", "user_1", true)).isFalse();
    }

    @Test
    void whenPersonalKeyIsRejectedShouldKeepLastGoodDefinitionsAndReportTheError() {
        startLoaded();
        for (int i = 0; i < 3; i++) {
            definitionReplies.add(Reply.status(401));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> client.flagsStatus().lastLoaderError() != null);

        PosthogFlagsStatus status = client.flagsStatus();
        assertThat(status.lastLoaderError()).contains("401").doesNotContain(PERSONAL_KEY).doesNotContain("phc_local");
        assertThat(status.flagCount()).isEqualTo(3);
        assertThat(client.isFeatureEnabled("beta", "user_1")).isTrue();
        assertThat(flagsRequests(posthog)).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.flagsStatus().lastLoaderError() == null);
    }

    @Test
    @ExtendWith(LogCapture.class)
    void whenLoadingKeepsFailingShouldWarnOnceWithoutAnyKey(CapturedLog log) {
        startLoaded();
        for (int i = 0; i < 3; i++) {
            definitionReplies.add(Reply.status(401));
        }
        await().atMost(Duration.ofSeconds(5))
            .until(() -> reports.of("definitions").stream().filter(r -> r.statusCode() == 401).count() == 3);

        List<String> warnings = log.getAll()
            .lines()
            .filter(l -> l.startsWith("WARNING"))
            .filter(m -> m.contains("definitions"))
            .toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("401")
            .contains("keeping the last good definitions (3 flags)")
            .doesNotContain(PERSONAL_KEY)
            .doesNotContain("phc_local");
    }

    @Test
    void whenDefinitionsAreMalformedShouldKeepLastGoodDefinitions() {
        startLoaded();
        definitionReplies.add(Reply.ok().json("{\"flags\": [ not json"));
        definitionReplies.add(Reply.ok().json("[]"));

        await().atMost(Duration.ofSeconds(5))
            .until(() -> client.flagsStatus().lastLoaderError() != null
                    && client.flagsStatus().lastLoaderError().contains("malformed"));

        assertThat(client.flagsStatus().flagCount()).isEqualTo(3);
        assertThat(client.getFeatureFlagResult("beta", "user_1").locallyEvaluated()).isTrue();
    }

    @Test
    void whenServerFailsShouldKeepLastGoodDefinitions() {
        startLoaded();
        definitionReplies.add(Reply.status(503));
        definitionReplies.add(Reply.status(500));

        await().atMost(Duration.ofSeconds(5))
            .until(() -> reports.of("definitions").stream().anyMatch(r -> r.statusCode() == 500));

        assertThat(client.flagsStatus().flagCount()).isEqualTo(3);
        assertThat(client.isFeatureEnabled("beta", "user_1")).isTrue();
        assertThat(reports.of("definitions"))
            .anyMatch(r -> r.statusCode() == 503 && r.outcome() == RequestReport.Outcome.RETRYABLE_ERROR);
    }

    @Test
    void whenServerIsDownFromTheStartShouldEvaluateRemotelyAndShowTheError() {
        posthog.close();
        client = builder().flagsInitialLoadWait(Duration.ZERO).build();

        await().atMost(Duration.ofSeconds(5)).until(() -> client.flagsStatus().lastLoaderError() != null);

        assertThat(client.flagsStatus().definitionsLoaded()).isFalse();
        assertThat(client.flagsStatus().lastLoaderError()).contains("unreachable");
        assertThat(client.isFeatureEnabled("beta", "user_1", true)).isTrue(); // remote
                                                                              // also
                                                                              // down: the
                                                                              // default
        assertThat(client.flagsStatus().fallbackEvaluations()).isEqualTo(1);
        assertThat(client.flagsStatus().failedEvaluations()).isEqualTo(1);
    }

    @Test
    void whenQuotaLimitedShouldClearDefinitions() {
        startLoaded();
        definitionReplies.add(Reply.status(402));

        await().atMost(Duration.ofSeconds(5)).until(() -> !client.flagsStatus().definitionsLoaded());

        assertThat(client.flagsStatus().lastLoaderError()).contains("402");
    }

    @Test
    void whenDefinitionsAreTooLargeShouldRefuseThem() {
        definitionReplies.add(Reply.ok().json("{\"flags\": [], \"padding\": \"" + "x".repeat(4096) + "\"}"));
        client = builder().maxFlagDefinitionsBytes(2048).flagsInitialLoadWait(Duration.ZERO).build();

        await().atMost(Duration.ofSeconds(5)).until(() -> client.flagsStatus().definitionsLoaded());
        assertThat(reports.of("definitions").get(0).statusCode()).isEqualTo(200);
        assertThat(client.flagsStatus().flagCount()).isEqualTo(3); // the next, normal
                                                                   // reply was taken
    }

    @Test
    void whenSnapshotIsReadShouldNotEvaluateAgainAndReportAccessLazily() {
        startLoaded();

        FeatureFlagEvaluations flags = client.evaluateFlags("user_1",
                FlagOptions.builder()
                    .personProperty("plan", "pro")
                    .group("company", "acme")
                    .groupProperty("company", "size", 50)
                    .build());
        assertThat(flags.keys()).containsExactlyInAnyOrder("beta", "pro-only", "org-flag");
        assertThat(flags.getFlagPayload("beta")).isEqualTo("{\"color\":\"blue\"}");
        client.flush();
        assertThat(flagCalledEvents(posthog)).isEmpty();

        assertThat(flags.isEnabled("beta")).isTrue();
        assertThat(flags.isEnabled("beta")).isTrue();
        assertThat(flags.getFlag("pro-only")).isEqualTo(true);
        client.capture(CaptureOptions.builder("user_1", "checkout").flags(flags).build());
        client.flush();

        assertThat(flagsRequests(posthog)).isEmpty();
        assertThat(flagCalledEvents(posthog)).extracting(e -> e.path("properties").path("$feature_flag").asText())
            .containsExactlyInAnyOrder("beta", "pro-only");
        JsonNode checkout = posthog.events()
            .stream()
            .filter(e -> e.path("event").asText().equals("checkout"))
            .findFirst()
            .orElseThrow()
            .path("properties");
        assertThat(checkout.path("$feature/beta").asBoolean()).isTrue();
        assertThat(checkout.path("$feature/org-flag").asBoolean(true)).isFalse();
        assertThat(checkout.path("$active_feature_flags")).extracting(JsonNode::asText)
            .containsExactly("beta", "pro-only");
    }

    @Test
    void whenCaptureAsksForFlagsShouldAttachLocalValuesWithoutRequest() {
        startLoaded();

        client.capture(CaptureOptions.builder("user_1", "signup").sendFeatureFlags(true).build());
        client.flush();

        JsonNode props = posthog.events()
            .stream()
            .filter(e -> e.path("event").asText().equals("signup"))
            .findFirst()
            .orElseThrow()
            .path("properties");
        assertThat(props.path("$feature/beta").asBoolean()).isTrue();
        assertThat(props.has("$feature/pro-only")).isFalse(); // inconclusive locally, and
                                                              // no request at capture
        assertThat(props.path("$active_feature_flags")).extracting(JsonNode::asText).containsExactly("beta");
        assertThat(flagsRequests(posthog)).isEmpty();
        assertThat(flagCalledEvents(posthog)).isEmpty();
    }

    @Test
    void whenPropertiesAreStoredForFlagsShouldUseThemUntilReset() {
        startLoaded();
        FlagOptions acme = FlagOptions.builder().group("company", "acme").build();

        client.setPersonPropertiesForFlags("user_1", Map.of("plan", "pro"));
        client.setGroupPropertiesForFlags("company", "acme", Map.of("size", 500));
        assertThat(client.isFeatureEnabled("pro-only", "user_1")).isTrue();
        assertThat(client.isFeatureEnabled("org-flag", "user_1", acme)).isTrue();
        assertThat(client.isFeatureEnabled("pro-only", "user_1",
                FlagOptions.builder().personProperty("plan", "free").build()))
            .isFalse(); // the call's own properties win
        assertThat(flagsRequests(posthog)).isEmpty();

        client.resetPersonPropertiesForFlags("user_1");
        client.resetGroupPropertiesForFlags();
        client.isFeatureEnabled("pro-only", "user_1");
        client.isFeatureEnabled("org-flag", "user_1", acme);
        assertThat(flagsRequests(posthog)).hasSize(2); // inconclusive again: PostHog is
                                                       // asked
        JsonNode body = flagsRequests(posthog).get(1).json();
        assertThat(body.path("group_properties").path("company").has("size")).isFalse();
    }

    @Test
    void whenPropertiesAreStoredForFlagsShouldSendThemToPosthog() {
        client = PosthogClient.builder("phc_local").host(posthog.url()).build();

        client.setPersonPropertiesForFlags("user_1", Map.of("plan", "pro"));
        client.setPersonPropertiesForFlags("user_1", Map.of("seats", 3));
        client.setGroupPropertiesForFlags("company", "acme", Map.of("size", 500));
        client.isFeatureEnabled("pro-only", "user_1", FlagOptions.builder().group("company", "acme").build());
        client.isFeatureEnabled("pro-only", "user_2", FlagOptions.builder().group("company", "other").build());

        JsonNode first = flagsRequests(posthog).get(0).json();
        assertThat(first.path("person_properties").path("plan").asText()).isEqualTo("pro");
        assertThat(first.path("person_properties").path("seats").asInt()).isEqualTo(3);
        assertThat(first.path("group_properties").path("company").path("size").asInt()).isEqualTo(500);
        JsonNode second = flagsRequests(posthog).get(1).json();
        assertThat(second.path("person_properties").has("plan")).isFalse();
        assertThat(second.path("group_properties").path("company").has("size")).isFalse();
    }

}
