package io.github.posthog4j.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The stand-in chat model endpoint end to end: a call to {@code /api/chat} becomes an
 * {@code $ai_generation} event (through the starter's Spring AI bridge, the AI route and
 * the embedded sink) shown on the home page. Runs on Boot 4 with Spring AI 2.0 and, with
 * {@code -Pboot3}, on Boot 3.5 with Spring AI 1.1.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleChatTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newHttpClient();

    private final ObjectMapper json = new ObjectMapper();

    @Autowired
    private Environment environment;

    private String url(String path) {
        return "http://localhost:" + environment.getProperty("local.server.port") + path;
    }

    private String get(String path) throws Exception {
        return http
            .send(HttpRequest.newBuilder(URI.create(url(path))).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString())
            .body();
    }

    @Test
    void whenTheChatEndpointIsCalledShouldShowAnAiGenerationOnThePage() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url("/api/chat")))
            .timeout(WAIT)
            .header("Content-Type", "application/json")
            .header("X-POSTHOG-DISTINCT-ID", "chat-user-1")
            .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"hello posthog\"}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json.readTree(response.body()).get("answer").asText()).isEqualTo("You said: HELLO POSTHOG");

        JsonNode[] found = new JsonNode[1];
        await().atMost(WAIT).until(() -> {
            for (JsonNode e : json.readTree(get("/sink/events")).get("events")) {
                if ("$ai_generation".equals(e.path("event").asText())
                        && "chat-user-1".equals(e.path("distinctId").asText())) {
                    found[0] = e;
                    return true;
                }
            }
            return false;
        });
        JsonNode props = found[0].get("properties");
        System.out.println("$ai_generation from the sample app: " + json.writeValueAsString(found[0]));
        assertThat(props.get("$ai_model").asText()).isEqualTo("echo-1");
        assertThat(props.get("$ai_provider").asText()).isEqualTo("sample-stand-in");
        assertThat(props.get("$ai_input_tokens").asInt()).isEqualTo(8);
        assertThat(props.get("$ai_output_tokens").asInt()).isEqualTo(4);
        assertThat(props.get("$ai_http_status").asInt()).isEqualTo(200);
        assertThat(props.get("$ai_latency").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(props.get("$ai_trace_id").asText()).isNotBlank();
        assertThat(props.get("$ai_input").get(1).get("content").asText()).isEqualTo("hello posthog");
        assertThat(props.get("$ai_output_choices").get(0).get("content").asText()).isEqualTo("You said: HELLO POSTHOG");
        // the dashboard offers the call and lists the sink's events, where the generation
        // is
        assertThat(get("/")).contains("id=\"btn-chat\"");
        assertThat(get("/dashboard.js")).contains("'/api/chat'");
        assertThat(get("/sink/events")).contains("$ai_generation").contains("chat-user-1");
    }

}
