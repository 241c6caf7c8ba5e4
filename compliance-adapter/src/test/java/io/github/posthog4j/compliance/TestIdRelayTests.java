package io.github.posthog4j.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posthog4j.compliance.contract.MockPosthog;
import io.github.posthog4j.compliance.contract.MockPosthog.MockResponse;
import io.github.posthog4j.compliance.contract.MockPosthog.Recorded;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay of test-scoped SDK instances, against the loopback mock PostHog: it adds
 * {@code X-Test-Id}, passes the request and the answer through unchanged, and refuses a
 * test id without instance.
 */
class TestIdRelayTests {

    private final MockPosthog mock = ComplianceEnvironment.mock();

    private final String adapter = "http://127.0.0.1:" + ComplianceEnvironment.adapterPort();

    private final HttpClient http = HttpClient.newHttpClient();

    private final String testId = "relay-" + UUID.randomUUID();

    @AfterEach
    void reset() throws Exception {
        post("/reset?test_id=" + testId, "");
        mock.reset(testId);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(adapter + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    private void init() throws Exception {
        assertThat(post("/init?test_id=" + testId,
                "{\"api_key\": \"phc_k\", \"host\": \"" + mock.url() + "/\", \"flush_interval_ms\": 60000}")
            .statusCode()).isEqualTo(200);
    }

    @Test
    void forwardsRequestAndAnswerUnchangedWithTheTestIdHeader() throws Exception {
        init();
        mock.setResponses(testId,
                List.of(new MockResponse(503, Map.of("Retry-After", "7"), "{\"error\": \"later\"}", null)));
        HttpResponse<String> answer = http
            .send(HttpRequest.newBuilder(URI.create(adapter + TestIdRelay.PREFIX + testId + "/batch/?a=1&b=%20"))
                .header("Content-Type", "application/json")
                .header("X-Custom", "kept")
                .POST(HttpRequest.BodyPublishers.ofString("{\"api_key\": \"phc_k\", \"batch\": []}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(answer.body()).isEqualTo("{\"error\":\"later\"}");
        List<Recorded> requests = mock.requests(testId);
        assertThat(requests).hasSize(1);
        Recorded request = requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/batch/");
        assertThat(request.queryParams()).containsEntry("a", "1").containsEntry("b", " ");
        assertThat(request.headers()).containsEntry("x-test-id", testId)
            .containsEntry("x-custom", "kept")
            .containsEntry("content-type", "application/json");
        assertThat(request.bodyDecompressed()).isEqualTo("{\"api_key\": \"phc_k\", \"batch\": []}");
    }

    @Test
    void resetDeliversWhatTheInstanceStillHeldThroughTheRelay() throws Exception {
        init();
        HttpResponse<String> capture = post("/capture?test_id=" + testId,
                "{\"distinct_id\": \"u\", \"event\": \"held\"}");
        assertThat(capture.statusCode()).isEqualTo(200);
        assertThat(mock.requests(testId)).isEmpty();

        assertThat(post("/reset?test_id=" + testId, "").statusCode()).isEqualTo(200);

        List<Recorded> requests = mock.requests(testId);
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).responseStatus()).isEqualTo(200);
        assertThat(requests.get(0).parsedEvents()).singleElement()
            .satisfies((event) -> assertThat(event).containsEntry("event", "held"));
    }

    @Test
    void aTestIdWithoutInstanceIs404() throws Exception {
        HttpResponse<String> answer = post(TestIdRelay.PREFIX + testId + "/batch/", "{}");
        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.body()).contains("no SDK instance for test_id " + testId);
        assertThat(mock.requests(testId)).isEmpty();
    }

}
