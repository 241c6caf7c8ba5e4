package io.github.posthog4j.openfeature;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The PostHog provider through the OpenFeature {@link Client} API (not the provider
 * directly), against a loopback PostHog stand-in: value types, variants and payloads,
 * reasons and error codes, the evaluation context, and {@code $feature_flag_called}.
 */
class PosthogProviderTests {

    private static final String FLAGS = "{\"flags\": {"
            + "\"beta\": {\"key\": \"beta\", \"enabled\": true, \"reason\": {\"description\": \"Matched\"}},"
            + "\"off\": {\"key\": \"off\", \"enabled\": false},"
            + "\"checkout\": {\"key\": \"checkout\", \"enabled\": true, \"variant\": \"blue\","
            + " \"metadata\": {\"payload\": \"{\\\"copy\\\":\\\"new\\\",\\\"items\\\":[1,2.5,true]}\"}},"
            + "\"limit\": {\"key\": \"limit\", \"enabled\": true, \"metadata\": {\"payload\": \"42\"}},"
            + "\"ratio\": {\"key\": \"ratio\", \"enabled\": true, \"metadata\": {\"payload\": \"0.25\"}}}}";

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final ManagedPosthogClient posthogClient;

    private final Client client;

    private final String domain = "posthog-test-" + UUID.randomUUID();

    PosthogProviderTests() {
        posthog.route("/flags", request -> {
            String key = request.json().path("flag_keys_to_evaluate").get(0).asText();
            // answer with the asked flag only, like PostHog
            JsonNode all = read(FLAGS).path("flags");
            return Reply.ok()
                .json(all.has(key) ? "{\"flags\": {\"" + key + "\": " + all.get(key) + "}}" : "{\"flags\": {}}");
        });
        posthogClient = PosthogClient.builder("phc_openfeature")
            .host(posthog.url())
            .flushInterval(Duration.ofMillis(20))
            .build();
        OpenFeatureAPI.getInstance().setProviderAndWait(domain, new PosthogProvider(posthogClient));
        client = OpenFeatureAPI.getInstance().getClient(domain);
    }

    private static JsonNode read(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        }
        catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @AfterEach
    void tearDown() {
        posthogClient.close();
        posthog.close();
    }

    private static ImmutableContext user(String id) {
        return new ImmutableContext(id);
    }

    private List<JsonNode> flagCalled() {
        posthogClient.flush();
        return posthog.events().stream().filter(e -> e.path("event").asText().equals("$feature_flag_called")).toList();
    }

    @Test
    void booleanEvaluationIsWhetherTheFlagIsOn() {
        FlagEvaluationDetails<Boolean> on = client.getBooleanDetails("beta", false, user("user-1"));
        FlagEvaluationDetails<Boolean> off = client.getBooleanDetails("off", true, user("user-1"));
        FlagEvaluationDetails<Boolean> variant = client.getBooleanDetails("checkout", false, user("user-1"));

        assertThat(on.getValue()).isTrue();
        assertThat(on.getReason()).isEqualTo(Reason.TARGETING_MATCH.name());
        assertThat(on.getFlagMetadata().getString("source")).isEqualTo("remote");
        assertThat(on.getFlagMetadata().getString("posthogReason")).isEqualTo("Matched");
        assertThat(off.getValue()).isFalse();
        assertThat(off.getReason()).isEqualTo(Reason.DEFAULT.name());
        assertThat(off.getErrorCode()).isNull();
        assertThat(variant.getValue()).isTrue();
        assertThat(variant.getVariant()).isEqualTo("blue");
    }

    @Test
    void stringEvaluationIsTheVariant() {
        FlagEvaluationDetails<String> details = client.getStringDetails("checkout", "control", user("user-1"));

        assertThat(details.getValue()).isEqualTo("blue");
        assertThat(details.getVariant()).isEqualTo("blue");
        assertThat(details.getReason()).isEqualTo(Reason.TARGETING_MATCH.name());
        assertThat(details.getFlagMetadata().getString("payload")).contains("\"copy\"");
    }

    @Test
    void numericEvaluationsComeFromThePayload() {
        assertThat(client.getIntegerValue("limit", 0, user("user-1"))).isEqualTo(42);
        assertThat(client.getDoubleValue("ratio", 0.0, user("user-1"))).isEqualTo(0.25);
        assertThat(client.getDoubleValue("limit", 0.0, user("user-1"))).isEqualTo(42.0);
    }

    @Test
    void objectEvaluationIsThePayloadAsOpenFeatureValues() {
        Value value = client.getObjectValue("checkout", new Value("fallback"), user("user-1"));

        assertThat(value.isStructure()).isTrue();
        assertThat(value.asStructure().getValue("copy").asString()).isEqualTo("new");
        List<Value> items = value.asStructure().getValue("items").asList();
        assertThat(items).extracting(Value::asObject).containsExactly(1, 2.5, true);
        assertThat(client.getObjectValue("beta", new Value("fallback"), user("user-1")).asBoolean()).isTrue();
    }

    @Test
    void anUnknownFlagIsFlagNotFoundWithTheDefault() {
        FlagEvaluationDetails<Boolean> details = client.getBooleanDetails("no-such-flag", true, user("user-1"));

        assertThat(details.getValue()).isTrue();
        assertThat(details.getReason()).isEqualTo(Reason.ERROR.name());
        assertThat(details.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
        assertThat(flagCalled()).singleElement()
            .satisfies(e -> assertThat(e.path("properties").path("$feature_flag_error").asText())
                .contains("flag_missing"));
    }

    @Test
    void aValueOfAnotherTypeIsTypeMismatchWithTheDefault() {
        FlagEvaluationDetails<String> string = client.getStringDetails("beta", "control", user("user-1"));
        FlagEvaluationDetails<Integer> integer = client.getIntegerDetails("checkout", 7, user("user-1"));

        assertThat(string.getValue()).isEqualTo("control");
        assertThat(string.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
        assertThat(string.getReason()).isEqualTo(Reason.ERROR.name());
        assertThat(integer.getValue()).isEqualTo(7);
        assertThat(integer.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
        assertThat(flagCalled()).isEmpty();
    }

    @Test
    void withoutATargetingKeyNothingIsAsked() {
        FlagEvaluationDetails<Boolean> details = client.getBooleanDetails("beta", false, new ImmutableContext());

        assertThat(details.getValue()).isFalse();
        assertThat(details.getErrorCode()).isEqualTo(ErrorCode.TARGETING_KEY_MISSING);
        assertThat(posthog.requests()).noneMatch(r -> r.path().startsWith("/flags"));
    }

    @Test
    void theTargetingKeyGroupsAndPersonPropertiesReachPosthog() {
        MutableContext ctx = new MutableContext("user-42");
        ctx.add(PosthogProvider.GROUPS, new ImmutableStructure(Map.of("company", new Value("acme"))));
        ctx.add(PosthogProvider.PERSON_PROPERTIES,
                new ImmutableStructure(Map.of("plan", new Value("pro"), "seats", new Value(12))));
        ctx.add(PosthogProvider.GROUP_PROPERTIES, new ImmutableStructure(
                Map.of("company", new Value(new ImmutableStructure(Map.of("size", new Value(500)))))));

        client.getBooleanValue("beta", false, ctx);

        JsonNode body = posthog.requests()
            .stream()
            .filter(r -> r.path().startsWith("/flags"))
            .findFirst()
            .orElseThrow()
            .json();
        assertThat(body.path("distinct_id").asText()).isEqualTo("user-42");
        assertThat(body.path("groups").path("company").asText()).isEqualTo("acme");
        assertThat(body.path("person_properties").path("plan").asText()).isEqualTo("pro");
        assertThat(body.path("person_properties").path("seats").asInt()).isEqualTo(12);
        assertThat(body.path("group_properties").path("company").path("size").asInt()).isEqualTo(500);
        assertThat(body.path("flag_keys_to_evaluate")).extracting(JsonNode::asText).containsExactly("beta");
    }

    @Test
    void aMalformedContextAttributeIsInvalidContext() {
        MutableContext ctx = new MutableContext("user-42");
        ctx.add(PosthogProvider.GROUPS, "acme");

        FlagEvaluationDetails<Boolean> details = client.getBooleanDetails("beta", false, ctx);

        assertThat(details.getErrorCode()).isEqualTo(ErrorCode.INVALID_CONTEXT);
        assertThat(details.getErrorMessage()).contains("groups");
    }

    @Test
    void aSuccessfulEvaluationRecordsFeatureFlagCalledOncePerValue() {
        client.getBooleanValue("beta", false, user("user-1"));
        client.getBooleanValue("beta", false, user("user-1"));
        client.getStringValue("checkout", "control", user("user-1"));

        List<JsonNode> events = flagCalled();
        assertThat(events).extracting(e -> e.path("properties").path("$feature_flag").asText())
            .containsExactlyInAnyOrder("beta", "checkout");
        assertThat(events).allSatisfy(e -> assertThat(e.path("distinct_id").asText()).isEqualTo("user-1"));
    }

    @Test
    void theProviderIsNamedPosthogAndLeavesTheClientOpen() {
        assertThat(OpenFeatureAPI.getInstance().getProviderMetadata(domain).getName()).isEqualTo("PostHog");

        OpenFeatureAPI.getInstance().getProvider(domain).shutdown();

        assertThat(posthogClient.isClosed()).isFalse();
    }

}
