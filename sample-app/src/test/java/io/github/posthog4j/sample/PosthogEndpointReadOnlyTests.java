package io.github.posthog4j.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

/**
 * {@code management.endpoint.posthog.access=read-only} keeps the read and refuses the
 * {@code flush} write operation, as Spring Boot does for every endpoint.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,posthog", "management.endpoint.posthog.access=read-only" })
class PosthogEndpointReadOnlyTests {

    @Autowired
    private Environment environment;

    @Test
    void whenAccessIsReadOnlyShouldServeTheReadAndRefuseFlush() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI endpoint = URI
            .create("http://localhost:" + environment.getProperty("local.server.port") + "/actuator/posthog");
        HttpResponse<String> read = http.send(HttpRequest.newBuilder(endpoint).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> flush = http.send(
                HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).contains("\"engine\"");
        assertThat(flush.statusCode()).as("the write operation is not mapped").isIn(404, 405);
    }

}
