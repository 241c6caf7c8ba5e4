package io.github.posthog4j.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posthog4j.compliance.contract.AdapterClient;
import io.github.posthog4j.compliance.contract.ContractLoader;
import io.github.posthog4j.compliance.contract.ContractRunner;
import io.github.posthog4j.compliance.contract.MockPosthog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract runner's own checks: it fails where it must (unknown actions, wrong
 * values, timing floors, another test's requests), so that the contract tests passing
 * means something.
 */
class ContractRunnerSelfCheckTests {

    private static MockPosthog mock;

    private static AdapterClient adapter;

    @BeforeAll
    static void start() {
        mock = ComplianceEnvironment.mock();
        adapter = ComplianceEnvironment.adapter();
    }

    private Map<String, Object> contract() {
        return ContractLoader.load(ContractLoader.locate(Path.of("")));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> contractTest(String suite, String category, String name) {
        Map<String, Object> suites = (Map<String, Object>) contract().get("test_suites");
        Map<String, Object> categories = (Map<String, Object>) ((Map<String, Object>) suites.get(suite))
            .get("categories");
        for (Object t : (List<Object>) ((Map<String, Object>) categories.get(category)).get("tests")) {
            if (name.equals(((Map<String, Object>) t).get("name"))) {
                return deepCopy((Map<String, Object>) t);
            }
        }
        throw new AssertionError("no contract test " + suite + "/" + category + "/" + name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> map) {
        try {
            return MockPosthog.copy(map);
        }
        catch (RuntimeException ex) {
            throw new AssertionError(ex);
        }
    }

    private static AssertionError runExpectingFailure(Map<String, Object> test) {
        ContractRunner runner = new ContractRunner(adapter, mock, "self-" + UUID.randomUUID());
        try {
            runner.run(test);
        }
        catch (AssertionError ex) {
            return ex;
        }
        finally {
            runner.reset();
        }
        throw new AssertionError("the runner passed a test that must fail: " + test);
    }

    @Test
    void anUnknownActionFailsTheTest() {
        AssertionError failure = runExpectingFailure(Map.of("name", "x", "steps",
                List.of(Map.of("action", "init"), Map.of("action", "assert_something_new"))));
        assertThat(failure).hasMessageContaining("unsupported action assert_something_new");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aWrongExpectedEventFieldFails() {
        Map<String, Object> test = contractTest("capture", "format_validation", "event_has_required_fields");
        List<Map<String, Object>> steps = (List<Map<String, Object>>) test.get("steps");
        ((Map<String, Object>) steps.get(steps.size() - 1).get("params")).put("expected", "someone_else");
        assertThat(runExpectingFailure(test))
            .hasMessageContaining("Expected distinct_id='someone_else', " + "got 'test_user'");
    }

    @Test
    void aRetryDelayFloorAboveTheClientsBackoffFails() {
        // 503 then 200 without Retry-After: the client's first backoff (about 500 ms) is
        // far below 2500 ms.
        Map<String, Object> test = Map.of("name", "x", "steps", List.of(
                Map.of("action", "configure_mock_responses", "params",
                        Map.of("responses", List.of(Map.of("status_code", 503), Map.of("status_code", 200)))),
                Map.of("action", "init"),
                Map.of("action", "capture", "params", Map.of("distinct_id", "u", "event", "e")),
                Map.of("action", "flush"), Map.of("action", "assert_request_count", "params", Map.of("expected", 2)),
                Map.of("action", "assert_retry_delay", "params", Map.of("min_delay_ms", 2500))));
        assertThat(runExpectingFailure(test)).hasMessageContaining("Retry delay too short");
    }

    @Test
    void anotherTestIdsRequestsAreInvisible() {
        ContractRunner other = new ContractRunner(adapter, mock, "self-" + UUID.randomUUID());
        try {
            other.run(Map.of("name", "x", "steps",
                    List.of(Map.of("action", "init"),
                            Map.of("action", "capture", "params", Map.of("distinct_id", "u", "event", "e")),
                            Map.of("action", "flush"),
                            Map.of("action", "assert_request_count", "params", Map.of("expected", 1)))));
            AssertionError failure = runExpectingFailure(Map.of("name", "y", "steps", List.of(Map.of("action", "init"),
                    Map.of("action", "assert_request_count", "params", Map.of("expected", 1)))));
            assertThat(failure).hasMessageContaining("Expected 1 requests, got 0");
        }
        finally {
            other.reset();
        }
    }

    @Test
    void aMissingContractFolderNamesThePathsTried(@TempDir Path dir) {
        assertThatThrownBy(() -> ContractLoader.locate(dir)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining(dir.resolve("shared/posthog-sdk-contract/CONTRACT.yaml").toString());
    }

    /**
     * The flags assertions, fed by requests sent straight to the mock (the client cannot
     * send /flags requests yet): they pass on a conforming request and fail on a wrong
     * value.
     */
    @Test
    void flagsAssertionsReadTheFlagsRequests() throws Exception {
        String testId = "self-" + UUID.randomUUID();
        ContractRunner runner = new ContractRunner(adapter, mock, testId);
        runner.reset();
        runner.step("configure_mock_responses", Map.of("responses",
                List.of(Map.of("status_code", 200, "body", "{\"featureFlags\": {\"my-flag\": \"v\"}}"))));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(mock.url() + "/flags/?v=2"))
            .header("X-Test-Id", testId)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"api_key\": \"phc_k\", \"distinct_id\": \"u1\", "
                    + "\"groups\": {}, \"person_properties\": {\"$device_id\": \"d1\"}, "
                    + "\"geoip_disable\": false, \"flag_keys_to_evaluate\": [\"my-flag\"]}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        // The configured 2xx body is laid over the /flags default body.
        assertThat(response.body()).contains("\"my-flag\":\"v\"").contains("errorsWhileComputingFlags");
        http.send(HttpRequest.newBuilder(URI.create(mock.url() + "/batch/"))
            .header("X-Test-Id", testId)
            .POST(HttpRequest.BodyPublishers.ofString("{\"api_key\": \"phc_k\", \"batch\": [{\"event\": "
                    + "\"$feature_flag_called\", \"properties\": {\"$feature_flag\": \"my-flag\", "
                    + "\"$feature_flag_response\": \"v\"}}]}"))
            .build(), HttpResponse.BodyHandlers.ofString());

        runner.step("assert_flags_request_count", Map.of("expected", 1));
        runner.step("assert_flags_request_field", Map.of("field", "token", "expected", "phc_k"));
        runner.step("assert_flags_request_field", Map.of("field", "person_properties.$device_id", "expected", "d1"));
        runner.step("assert_flags_request_field", Map.of("field", "groups", "expected", Map.of()));
        runner.step("assert_flags_request_field",
                Map.of("field", "flag_keys_to_evaluate", "expected", List.of("my-flag")));
        runner.step("assert_flags_request_query_param", Map.of("param", "v", "expected", "2"));
        runner.step("assert_header_absent", Map.of("header", "Authorization"));
        runner.step("assert_no_requests_to_paths", Map.of("paths", List.of("/decide", "/decide/")));
        runner.step("assert_event_count_with_name", Map.of("name", "$feature_flag_called", "expected", 1));
        runner.step("assert_event_property_in_named_event",
                Map.of("event_name", "$feature_flag_called", "property", "$feature_flag_response", "expected", "v"));

        assertThatThrownBy(
                () -> runner.step("assert_flags_request_field", Map.of("field", "geoip_disable", "expected", true)))
            .hasMessageContaining("geoip_disable");
        assertThatThrownBy(() -> runner.step("assert_flags_request_field",
                Map.of("field", "group_properties", "expected", Map.of())))
            .hasMessageContaining("Field 'group_properties' not found");
        assertThatThrownBy(() -> runner.step("assert_flags_request_query_param", Map.of("param", "v", "expected", "3")))
            .hasMessageContaining("v='3'");
        assertThatThrownBy(() -> runner.step("assert_no_requests_to_paths", Map.of("paths", List.of("/flags"))))
            .hasMessageContaining("forbidden path '/flags/'");
        assertThatThrownBy(() -> runner.step("assert_event_count_with_name",
                Map.of("name", "$feature_flag_called", "expected", 2)))
            .hasMessageContaining("got 1");
        runner.reset();
    }

}
