package io.github.posthog4j.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.posthog4j.client.ManagedPosthogClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

/**
 * The flag panel of the sample app: each flag's value for a chosen user and its source,
 * as JSON, shown by the dashboard.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,metrics,env", "management.endpoint.env.show-values=always" })
class FlagPanelTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    private Environment environment;

    @Autowired
    private ManagedPosthogClient client;

    private String get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest
            .newBuilder(URI.create("http://localhost:" + environment.getProperty("local.server.port") + path))
            .timeout(WAIT)
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    @Test
    void panelShowsEachFlagsValueAndSourceForAUser() throws Exception {
        await().atMost(WAIT).until(() -> client.flagsStatus().definitionsLoaded());

        JsonNode panel = new ObjectMapper().readTree(get("/api/flags?user=panel-user-3"));

        assertThat(panel.path("user").asText()).isEqualTo("panel-user-3");
        assertThat(panel.path("flags")).extracting(f -> f.path("key").asText())
            .containsExactly("button-color", "new-checkout");
        JsonNode color = panel.path("flags").get(0);
        assertThat(color.path("value").asText()).isIn("blue", "green");
        assertThat(color.path("source").asText()).isEqualTo("local");
        assertThat(color.path("payload").asText()).contains("hex");
        assertThat(panel.path("flags").get(1).path("value").isBoolean()).isTrue();

        // The home page is the dashboard: its flag panel is filled from this JSON by the
        // page's
        // script (DashboardBrowserTests sees it filled in a browser).
        assertThat(get("/")).contains("id=\"flag-user\"").contains("id=\"flag-rows\"");
        assertThat(get("/dashboard.js")).contains("/api/flags?user=");
    }

}
