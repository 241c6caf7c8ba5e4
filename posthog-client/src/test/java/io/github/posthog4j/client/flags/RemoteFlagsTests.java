package io.github.posthog4j.client.flags;

import static io.github.posthog4j.client.flags.FlagsFixtures.flagCalledEvents;
import static io.github.posthog4j.client.flags.FlagsFixtures.flagsRequests;
import static io.github.posthog4j.client.flags.FlagsFixtures.v2;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.FeatureFlagResult;
import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.FlagsAndPayloads;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogClientBuilder;
import io.github.posthog4j.client.RequestReport;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Remote evaluation through {@code POST /flags/?v=2}: request shape, parsing, retries,
 * timeouts, quota.
 */
class RemoteFlagsTests {

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final FlagsFixtures.Reports reports = new FlagsFixtures.Reports();

    private final ConcurrentLinkedQueue<Reply> flagReplies = new ConcurrentLinkedQueue<>();

    private ManagedPosthogClient client;

    RemoteFlagsTests() {
        posthog.route("/flags", request -> {
            Reply r = flagReplies.poll();
            return (r != null) ? r : Reply.ok().json("{\"flags\": {}}");
        });
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        posthog.close();
    }

    private PosthogClientBuilder builder() {
        return PosthogClient.builder("phc_remote_key")
            .host(posthog.url())
            .flushInterval(Duration.ofMillis(20))
            .listener(reports);
    }

    private void reply(Reply... replies) {
        flagReplies.addAll(List.of(replies));
    }

    @Test
    void whenFlagIsReadShouldPostTheDocumentedRequest() {
        reply(Reply.ok().json(v2("signup-aa-test", true, "variant-a", null)));
        client = builder().build();

        Object value = client.getFeatureFlag("signup-aa-test", "test_user_123",
                FlagOptions.builder().personProperty("$device_id", "device_abc_123").disableGeoip(true).build());

        assertThat(value).isEqualTo("variant-a");
        List<PosthogStandIn.Request> requests = flagsRequests(posthog);
        assertThat(requests).hasSize(1);
        PosthogStandIn.Request request = requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/flags/");
        assertThat(request.query()).isEqualTo("v=2");
        assertThat(request.headers()).doesNotContainKey("authorization");
        JsonNode body = request.json();
        assertThat(body.path("token").asText()).isEqualTo("phc_remote_key");
        assertThat(body.path("distinct_id").asText()).isEqualTo("test_user_123");
        assertThat(body.path("person_properties").path("$device_id").asText()).isEqualTo("device_abc_123");
        assertThat(body.path("groups").isObject()).isTrue();
        assertThat(body.path("groups").size()).isZero();
        assertThat(body.path("group_properties").size()).isZero();
        assertThat(body.path("geoip_disable").asBoolean()).isTrue();
        assertThat(body.path("flag_keys_to_evaluate")).hasSize(1);
        assertThat(body.path("flag_keys_to_evaluate").get(0).asText()).isEqualTo("signup-aa-test");
        assertThat(posthog.requests()).noneMatch(r -> r.path().startsWith("/decide"));
    }

    @Test
    void whenGroupsAreGivenShouldSendThemWithTheirProperties() {
        client = builder().build();

        client.getFeatureFlag("any-flag", "user_1",
                FlagOptions.builder().group("company", "acme").groupProperty("company", "plan", "enterprise").build());

        JsonNode body = flagsRequests(posthog).get(0).json();
        assertThat(body.path("groups").path("company").asText()).isEqualTo("acme");
        assertThat(body.path("group_properties").path("company").path("plan").asText()).isEqualTo("enterprise");
        assertThat(body.path("geoip_disable").asBoolean(true)).isFalse();
    }

    @Test
    void whenResponseIsLegacyShapeShouldReturnItsValueAndPayload() {
        reply(Reply.ok()
            .json("{\"featureFlags\": {\"my-flag\": true},"
                    + " \"featureFlagPayloads\": {\"my-flag\": \"{\\\"limit\\\": 5}\"}}"));
        client = builder().build();

        FeatureFlagResult result = client.getFeatureFlagResult("my-flag", "user_1");

        assertThat(result.enabled()).isTrue();
        assertThat(result.variant()).isNull();
        assertThat(result.payload()).isEqualTo("{\"limit\":5}");
        assertThat(result.locallyEvaluated()).isFalse();
    }

    @Test
    void whenNothingAsksForFlagsShouldMakeNoFlagsRequest() {
        client = builder().build();
        client.capture("user_1", "regular_event");
        client.flush();
        assertThat(flagsRequests(posthog)).isEmpty();
    }

    @Test
    void whenCalledTwiceShouldAskTwice() {
        client = builder().build();
        client.getFeatureFlag("any-flag", "user_1");
        client.getFeatureFlag("any-flag", "user_1");
        assertThat(flagsRequests(posthog)).hasSize(2);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = { 502, 504, 0 })
    void whenGatewayErrorOrIoFailureShouldRetryOnce(int status) {
        reply(Reply.status(status), Reply.ok().json(v2("transient-flag", true, null, null)));
        client = builder().build();

        assertThat(client.getFeatureFlag("transient-flag", "user_1")).isEqualTo(true);

        assertThat(flagsRequests(posthog)).hasSize(2);
        List<RequestReport> flagReports = reports.of("flags");
        assertThat(flagReports).extracting(RequestReport::attempt).containsExactly(1, 2);
        assertThat(flagReports).extracting(RequestReport::statusCode).containsExactly(status, 200);
        assertThat(flagReports.get(0).outcome()).isEqualTo(RequestReport.Outcome.RETRYABLE_ERROR);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = { 500, 400, 429, 503 })
    void whenOtherErrorShouldNotRetryAndReturnTheDefault(int status) {
        reply(Reply.status(status), Reply.ok().json(v2("flag", true, null, null)));
        client = builder().build();

        assertThat(client.isFeatureEnabled("flag", "user_1", true)).isTrue();
        assertThat(client.isFeatureEnabled("flag", "user_2")).isTrue(); // the scripted
                                                                        // 200 was not
                                                                        // consumed

        assertThat(flagsRequests(posthog)).hasSize(2);
        assertThat(client.flagsStatus().failedEvaluations()).isEqualTo(1);
        assertThat(client.flagsStatus().lastRemoteError()).contains("api_error_" + status);
    }

    @Test
    void whenBothAttemptsFailShouldReturnTheDefaultAndCountIt() {
        reply(Reply.status(502), Reply.status(502), Reply.ok().json(v2("flag", true, null, null)));
        client = builder().build();

        assertThat(client.isFeatureEnabled("flag", "user_1", false)).isFalse();
        assertThat(client.getFeatureFlag("flag", "user_1", FlagOptions.builder().build())).isEqualTo(true);

        assertThat(flagsRequests(posthog)).hasSize(3);
        assertThat(client.flagsStatus().failedEvaluations()).isEqualTo(1);
        assertThat(client.flagsStatus().remoteEvaluations()).isEqualTo(2);
    }

    @Test
    void whenPosthogIsTooSlowShouldReturnTheDefaultWithinTheFlagsTimeout() {
        reply(Reply.ok().json(v2("slow", true, null, null)).delayed(Duration.ofSeconds(2)),
                Reply.ok().json(v2("slow", true, null, null)).delayed(Duration.ofSeconds(2)));
        client = builder().flagsRequestTimeout(Duration.ofMillis(200)).build();

        long start = System.nanoTime();
        boolean enabled = client.isFeatureEnabled("slow", "user_1", false);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(enabled).isFalse();
        assertThat(took).isLessThan(Duration.ofMillis(1900));
        assertThat(client.flagsStatus().lastRemoteError()).startsWith("timeout");
        client.flush();
        assertThat(flagCalledEvents(posthog)).singleElement()
            .satisfies(e -> assertThat(e.path("properties").path("$feature_flag_error").asText()).isEqualTo("timeout"));
    }

    @Test
    void whenQuotaLimitedShouldReturnTheDefaultAndTagTheEvent() {
        reply(Reply.ok()
            .json("{\"quotaLimited\": [\"feature_flags\"], \"flags\": {\"flag\": {\"key\": \"flag\","
                    + " \"enabled\": true}}}"));
        client = builder().build();

        assertThat(client.getFeatureFlag("flag", "user_1")).isNull();
        assertThat(flagsRequests(posthog)).hasSize(1);
        client.flush();
        assertThat(flagCalledEvents(posthog)).singleElement()
            .satisfies(e -> assertThat(e.path("properties").path("$feature_flag_error").asText())
                .isEqualTo("quota_limited"));
    }

    @Test
    void whenErrorsWhileComputingFlagsShouldUseWhatCameBackAndTagTheMissingFlag() {
        reply(Reply.ok().json("{\"errorsWhileComputingFlags\": true, \"flags\": {}}"));
        client = builder().build();

        assertThat(client.getFeatureFlag("flag", "user_1")).isNull();
        client.flush();
        assertThat(flagCalledEvents(posthog)).singleElement()
            .satisfies(e -> assertThat(e.path("properties").path("$feature_flag_error").asText())
                .isEqualTo("errors_while_computing_flags,flag_missing"));
    }

    @Test
    void whenAllFlagsAreAskedShouldMakeOneRequestWithoutKeysAndNoEvents() {
        reply(Reply.ok()
            .json("{\"flags\": {\"a\": {\"key\": \"a\", \"enabled\": true},"
                    + " \"b\": {\"key\": \"b\", \"enabled\": true, \"variant\": \"blue\", \"metadata\":"
                    + " {\"payload\": \"[1, 2]\"}}, \"c\": {\"key\": \"c\", \"enabled\": false}}}"));
        client = builder().build();

        FlagsAndPayloads all = client.getAllFlagsAndPayloads("user_1");

        assertThat(all.featureFlags()).isEqualTo(Map.of("a", true, "b", "blue", "c", false));
        assertThat(all.featureFlagPayloads()).isEqualTo(Map.of("b", "[1,2]"));
        assertThat(flagsRequests(posthog)).singleElement()
            .satisfies(r -> assertThat(r.json().has("flag_keys_to_evaluate")).isFalse());
        client.flush();
        assertThat(flagCalledEvents(posthog)).isEmpty();
    }

    @Test
    void whenPosthogIsDownShouldReturnDefaultsWithoutThrowing() {
        client = builder().build();
        posthog.close();

        assertThat(client.isFeatureEnabled("flag", "user_1", true)).isTrue();
        assertThat(client.getFeatureFlagResult("flag", "user_1")).isNull();
        assertThat(client.getAllFlags("user_1")).isEmpty();
        assertThat(client.evaluateFlags("user_1").keys()).isEmpty();
        assertThat(client.flagsStatus().lastRemoteError()).startsWith("connection_error");
    }

    @Test
    void whenInputIsBlankShouldReturnDefaultsWithoutRequest() {
        client = builder().build();
        assertThat(client.isFeatureEnabled("flag", "", true)).isTrue();
        assertThat(client.getFeatureFlag(null, "user_1")).isNull();
        assertThat(flagsRequests(posthog)).isEmpty();
    }

    @Test
    void whenACaptureAsksForFlagsWithoutLocalDefinitionsShouldAddThemOnTheDeliverySideNotTheCaller() {
        reply(Reply.ok().json(v2("beta", true, null, null)).delayed(Duration.ofSeconds(2)));
        client = builder().build();

        long start = System.nanoTime();
        String uuid = client.capture(
                io.github.posthog4j.client.CaptureOptions.builder("u1", "checkout").sendFeatureFlags(true).build());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // the /flags answer takes 2 s: the capturing thread never waited for it
        assertThat(took).isLessThan(Duration.ofSeconds(1));
        assertThat(uuid).isNotNull();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !posthog.events().isEmpty());
        JsonNode event = posthog.events().get(0);
        assertThat(event.get("uuid").asText()).isEqualTo(uuid);
        assertThat(event.get("properties").get("$feature/beta").asBoolean()).isTrue();
        assertThat(event.get("properties").get("$active_feature_flags").get(0).asText()).isEqualTo("beta");
        assertThat(flagsRequests(posthog)).hasSize(1);
    }

}
