package io.github.posthog4j.compliance.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Calls the adapter over HTTP the way the harness does: JSON bodies, {@code ?test_id=} on
 * every endpoint but {@code /health}, and a non-2xx answer is a failure of the step (the
 * harness's {@code raise_for_status}).
 */
public final class AdapterClient {

    private final String baseUrl;

    private final HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();

    public AdapterClient(String baseUrl) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
    }

    /**
     * @return the parsed {@code GET /health}
     */
    public Map<String, Object> health() {
        return call("GET", "/health", null, null);
    }

    /**
     * Calls an adapter endpoint.
     * @param method GET or POST
     * @param path e.g. {@code /capture}
     * @param testId the test id, or null for the global instance
     * @param payload the JSON body (null values are sent as JSON null, as the harness
     * does), or null for none
     * @return the parsed JSON answer
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> call(String method, String path, String testId, Map<String, Object> payload) {
        String url = baseUrl + path
                + ((testId != null) ? "?test_id=" + URLEncoder.encode(testId, StandardCharsets.UTF_8) : "");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(90));
        try {
            if (method.equals("GET")) {
                request.GET();
            }
            else if (payload != null) {
                request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(MockPosthog.JSON.writeValueAsString(payload)));
            }
            else {
                request.POST(HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new AssertionError("adapter " + method + " " + path + " answered HTTP " + response.statusCode()
                        + ": " + response.body());
            }
            return MockPosthog.JSON.readValue(response.body(), Map.class);
        }
        catch (JsonProcessingException ex) {
            throw new AssertionError("adapter " + method + " " + path + " answered invalid JSON: " + ex.getMessage(),
                    ex);
        }
        catch (IOException ex) {
            throw new AssertionError("adapter " + method + " " + path + " unreachable at " + url + ": " + ex, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted calling the adapter", ex);
        }
    }

}
