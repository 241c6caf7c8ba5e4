package io.github.posthog4j.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;

/**
 * The {@code posthog} actuator endpoint follows Spring Boot's exposure rules: with the
 * default web exposure (health only) it is not reachable over HTTP, nor created.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "management.endpoints.web.exposure.include=health")
class PosthogEndpointExposureTests {

    @Autowired
    private Environment environment;

    @Autowired
    private ApplicationContext context;

    @Test
    void whenNotIncludedInTheWebExposureShouldNotBeReachable() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://localhost:" + environment.getProperty("local.server.port");
        HttpResponse<String> posthog = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/posthog")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(posthog.statusCode()).isEqualTo(404);
        assertThat(context.getBeanNamesForType(io.github.posthog4j.autoconfigure.endpoint.PosthogEndpoint.class))
            .isEmpty();
    }

}
