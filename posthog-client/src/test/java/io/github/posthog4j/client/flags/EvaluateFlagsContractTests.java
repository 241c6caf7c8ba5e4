package io.github.posthog4j.client.flags;

import static io.github.posthog4j.client.flags.FlagsFixtures.flagCalledEvents;
import static io.github.posthog4j.client.flags.FlagsFixtures.flagsRequests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.FeatureFlagEvaluations;
import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.testsupport.LogCapture;
import io.github.posthog4j.testsupport.LogCapture.CapturedLog;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code @server} scenarios of PostHog's {@code evaluate-flags} spec
 * (acceptance/public/evaluate-flags.feature), against a loopback stand-in, with the
 * snapshot filters {@code only(keys)} and {@code onlyAccessed()}.
 */
class EvaluateFlagsContractTests {

    private static final String FLAGS = "{\"flags\": {" + "\"beta-ui\": {\"key\": \"beta-ui\", \"enabled\": true},"
            + "\"checkout\": {\"key\": \"checkout\", \"enabled\": true, \"variant\": \"blue\","
            + " \"metadata\": {\"payload\": \"{\\\"copy\\\":\\\"new\\\"}\"}},"
            + "\"search\": {\"key\": \"search\", \"enabled\": false},"
            + "\"disabled\": {\"key\": \"disabled\", \"enabled\": false}}, \"requestId\": \"r-1\"}";

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final AtomicReference<Reply> flagsReply = new AtomicReference<>(Reply.ok().json(FLAGS));

    private ManagedPosthogClient client;

    EvaluateFlagsContractTests() {
        posthog.route("/flags", request -> flagsReply.get());
        client = PosthogClient.builder("phc_eval").host(posthog.url()).flushInterval(Duration.ofMillis(20)).build();
    }

    @AfterEach
    void tearDown() {
        client.close();
        posthog.close();
    }

    private List<JsonNode> flagCalled(String key) {
        client.flush();
        return flagCalledEvents(posthog).stream()
            .filter(e -> e.path("properties").path("$feature_flag").asText().equals(key))
            .toList();
    }

    @Test
    void oneEvaluationSnapshotPowersMultipleFlagBranches() {
        FeatureFlagEvaluations flags = client.evaluateFlags("user-123");

        assertThat(flags.isEnabled("beta-ui")).isTrue();
        assertThat(flags.getFlag("checkout")).isEqualTo("blue");
        assertThat(flags.isEnabled("beta-ui")).isTrue();
        assertThat(flagsRequests(posthog)).hasSize(1);
    }

    @Test
    void oneSnapshotReplacesSeparateGetterAndCaptureTimeEvaluations() {
        FeatureFlagEvaluations flags = client.evaluateFlags("user-123");

        assertThat(flags.isEnabled("beta-ui")).isTrue();
        assertThat(flags.getFlag("checkout")).isEqualTo("blue");
        assertThat(flags.getFlagPayload("checkout")).isEqualTo("{\"copy\":\"new\"}");
        assertThat(flags.keys()).contains("beta-ui", "checkout");
        client.capture(CaptureOptions.builder("user-123", "order completed").flags(flags).build());
        client.flush();

        JsonNode props = order().path("properties");
        assertThat(props.path("$feature/beta-ui").asBoolean()).isTrue();
        assertThat(props.path("$feature/checkout").asText()).isEqualTo("blue");
        assertThat(flagsRequests(posthog)).hasSize(1);
    }

    private JsonNode order() {
        return posthog.events()
            .stream()
            .filter(e -> e.path("event").asText().equals("order completed"))
            .findFirst()
            .orElseThrow();
    }

    @Test
    void snapshotAccessorsDistinguishDisabledMissingAndVariantFlags() {
        FeatureFlagEvaluations flags = client.evaluateFlags("user-123");

        assertThat(flags.isEnabled("disabled")).isFalse();
        assertThat(flags.getFlag("disabled")).isEqualTo(false);
        assertThat(flags.isEnabled("checkout")).isTrue();
        assertThat(flags.getFlag("checkout")).isEqualTo("blue");
        assertThat(flags.isEnabled("missing")).isFalse();
        assertThat(flags.getFlag("missing")).isNull();
        assertThat(flagCalled("missing")).singleElement()
            .satisfies(e -> assertThat(e.path("properties").path("$feature_flag_error").asText())
                .isEqualTo("flag_missing"));
    }

    @Test
    void evaluationDoesNotReportExposureUntilAValueIsAccessed() {
        FeatureFlagEvaluations flags = client.evaluateFlags("user-123");
        assertThat(flagCalled("beta-ui")).isEmpty();

        flags.isEnabled("beta-ui");
        assertThat(flagCalled("beta-ui")).singleElement()
            .satisfies(e -> assertThat(e.path("properties").path("$feature_flag_response").asBoolean()).isTrue());

        flags.getFlag("beta-ui");
        flags.isEnabled("beta-ui");
        assertThat(flagCalled("beta-ui")).hasSize(1);
    }

    @Test
    void snapshotPayloadAccessIsSilent() {
        FeatureFlagEvaluations flags = client.evaluateFlags("user-123");

        assertThat(flags.getFlagPayload("checkout")).isEqualTo("{\"copy\":\"new\"}");
        assertThat(flagCalled("checkout")).isEmpty();
        assertThat(flags.onlyAccessed().keys()).isEmpty();
        assertThat(flagsRequests(posthog)).hasSize(1);
    }

    @Test
    void captureReusesExactSnapshotValuesWithoutReevaluation() {
        FeatureFlagEvaluations flags = client.evaluateFlags("user-123",
                FlagOptions.builder().flagKeys(List.of("beta-ui", "checkout", "search")).build());
        flagsReply.set(Reply.ok().json("{\"flags\": {\"search\": {\"key\": \"search\", \"enabled\": true}}}"));

        client.capture(CaptureOptions.builder("user-123", "order completed").flags(flags).build());
        client.flush();

        JsonNode props = order().path("properties");
        assertThat(props.path("$feature/search").asBoolean(true)).isFalse();
        assertThat(props.path("$feature/checkout").asText()).isEqualTo("blue");
        assertThat(props.path("$active_feature_flags")).extracting(JsonNode::asText)
            .contains("checkout")
            .doesNotContain("search");
        assertThat(flagsRequests(posthog)).hasSize(1);
    }

    @Test
    void onlyAccessedFiltersTheSnapshotForCapture() {
        FeatureFlagEvaluations flags = client.evaluateFlags("user-123");
        flags.isEnabled("beta-ui");
        flags.getFlag("search");
        flags.getFlagPayload("checkout");

        FeatureFlagEvaluations accessed = flags.onlyAccessed();

        assertThat(accessed.values()).containsOnly(java.util.Map.entry("beta-ui", true),
                java.util.Map.entry("search", false));
        assertThat(accessed.keys()).doesNotContain("checkout");
        accessed.isEnabled("disabled"); // the filtered snapshot's reads are its own
        assertThat(flags.onlyAccessed().keys()).containsExactlyInAnyOrder("beta-ui", "search");
        client.capture(CaptureOptions.builder("user-123", "order completed").flags(accessed).build());
        client.flush();
        JsonNode props = order().path("properties");
        assertThat(props.has("$feature/beta-ui")).isTrue();
        assertThat(props.has("$feature/checkout")).isFalse();
        assertThat(flagsRequests(posthog)).hasSize(1);
    }

    @Test
    void onlyAccessedBeforeBranchingReturnsAnEmptySnapshot() {
        FeatureFlagEvaluations flags = client.evaluateFlags("user-123");

        assertThat(flags.onlyAccessed().keys()).isEmpty();
        assertThat(flags.onlyAccessed().values()).isEmpty();
    }

    @Test
    @ExtendWith(LogCapture.class)
    void requestTimeKeysAndInMemoryFilteringAreDistinct(CapturedLog log) {
        FeatureFlagEvaluations flags = client.evaluateFlags("user-123",
                FlagOptions.builder().flagKeys(List.of("beta-ui", "checkout")).build());

        assertThat(flagsRequests(posthog)).singleElement()
            .satisfies(r -> assertThat(r.json().path("flag_keys_to_evaluate")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("beta-ui", "checkout"));
        // the stand-in answers with every flag: the snapshot keeps only those asked for
        assertThat(flags.keys()).containsExactlyInAnyOrder("beta-ui", "checkout");

        FeatureFlagEvaluations only = flags.only(List.of("beta-ui", "missing"));

        assertThat(only.keys()).containsExactly("beta-ui");
        assertThat(flagsRequests(posthog)).hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> log.getAll().contains("missing"));
        assertThat(log.getAll()).contains("only(...) dropped flag keys").contains("[missing]");
    }

    @Test
    void missingIdentityReturnsAnEmptyNoOpSnapshot() {
        FeatureFlagEvaluations flags = client.evaluateFlags(null);

        assertThat(flags.keys()).isEmpty();
        assertThat(flags.isEnabled("beta-ui")).isFalse();
        assertThat(flagsRequests(posthog)).isEmpty();
        assertThat(flagCalled("beta-ui")).isEmpty();
    }

}
