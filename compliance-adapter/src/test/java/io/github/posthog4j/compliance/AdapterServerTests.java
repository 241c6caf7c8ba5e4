package io.github.posthog4j.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.posthog4j.compliance.Router.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The adapter's HTTP server and router over real HTTP on loopback: what a caller gets for
 * an unknown path, a wrong method, a body that is no JSON object, an endpoint that fails,
 * and a test id that has no SDK instance.
 */
class AdapterServerTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();

    private final String adapter = "http://127.0.0.1:" + ComplianceEnvironment.adapterPort();

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(adapter + path));
        request.method(method,
                (body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return JSON.readValue(response.body(), Map.class);
    }

    @Test
    void healthDeclaresTheSdkAndItsCapabilities() throws Exception {
        HttpResponse<String> response = send("GET", "/health", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).containsEntry("sdk_name", "posthog-spring-boot")
            .containsEntry("supports_parallel", true)
            .containsEntry("capabilities", List.of("capture_v0", "capture_ai_v0", "encoding_gzip"))
            .containsKeys("sdk_version", "adapter_version");
    }

    @Test
    void headIsServedByTheGetRouteWithoutBody() throws Exception {
        HttpResponse<String> response = send("HEAD", "/health", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void anUnknownPathIs404() throws Exception {
        HttpResponse<String> response = send("GET", "/capture_logs", null);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response)).containsEntry("success", false)
            .containsEntry("error", "no adapter endpoint GET /capture_logs");
    }

    @Test
    void aWrongMethodIs405AndNamesTheAllowedOne() throws Exception {
        HttpResponse<String> response = send("GET", "/init", null);
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertThat(json(response)).containsEntry("error", "GET is not allowed on /init; use POST");
    }

    @Test
    void aBodyThatIsNoJsonObjectIs400WithTheReason() throws Exception {
        HttpResponse<String> notJson = send("POST", "/init", "{api_key");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(notJson).get("error")).asString().startsWith("the request body is not valid JSON: ");
        HttpResponse<String> array = send("POST", "/init", "[]");
        assertThat(array.statusCode()).isEqualTo(400);
        assertThat(json(array)).containsEntry("error", "the request body must be a JSON object, got an array");
        HttpResponse<String> empty = send("POST", "/capture", null);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(json(empty)).containsEntry("error", "the request body must be a JSON object, got an empty body");
    }

    @Test
    void initWithoutApiKeyOrHostIs400() throws Exception {
        HttpResponse<String> response = send("POST", "/init?test_id=" + UUID.randomUUID(), "{\"host\": 1}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "api_key and host are required strings");
    }

    @Test
    void callsBeforeInitAre409AndStateIsEmpty() throws Exception {
        String query = "?test_id=" + UUID.randomUUID();
        HttpResponse<String> capture = send("POST", "/capture" + query, "{\"distinct_id\": \"u\", \"event\": \"e\"}");
        assertThat(capture.statusCode()).isEqualTo(409);
        assertThat(json(capture)).containsEntry("error", "SDK not initialized: call /init first");
        assertThat(send("POST", "/flush" + query, null).statusCode()).isEqualTo(409);
        assertThat(send("POST", "/get_feature_flag" + query, null).statusCode()).isEqualTo(409);
        HttpResponse<String> state = send("GET", "/state" + query, null);
        assertThat(state.statusCode()).isEqualTo(200);
        assertThat(json(state)).containsEntry("pending_events", 0)
            .containsEntry("total_events_captured", 0)
            .containsEntry("last_error", null)
            .containsEntry("requests_made", List.of());
        assertThat(send("POST", "/reset" + query, null).statusCode()).isEqualTo(200);
    }

    @Test
    void theHeaderSelectsTheInstanceWhenTheQueryDoesNot() throws Exception {
        String testId = "hdr-" + UUID.randomUUID();
        HttpRequest init = HttpRequest.newBuilder(URI.create(adapter + "/init"))
            .header("X-Test-Id", testId)
            .POST(HttpRequest.BodyPublishers.ofString("{\"api_key\": \"phc_k\", \"host\": \"http://127.0.0.1:9\"}"))
            .build();
        assertThat(http.send(init, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        try {
            assertThat(send("POST", "/capture?test_id=" + testId, "{\"distinct_id\": \"u\", \"event\": \"e\"}")
                .statusCode()).isEqualTo(200);
            assertThat(send("POST", "/capture", "{\"distinct_id\": \"u\", \"event\": \"e\"}").statusCode())
                .isEqualTo(409);
        }
        finally {
            send("POST", "/reset?test_id=" + testId, null);
        }
    }

    @Test
    void aFailingEndpointIs500WithTheException() throws Exception {
        Router router = new Router().get("/boom", (request) -> {
            throw new IllegalStateException("no more");
        }).get("/ok", (request) -> Response.json(200, Map.of("success", true)));
        try (AdapterServer server = AdapterServer.start(0, router)) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/boom")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(json(response)).containsEntry("error",
                    "GET /boom failed: java.lang.IllegalStateException: no more");
            // and the server goes on serving
            assertThat(http
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/ok")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
        }
    }

}
