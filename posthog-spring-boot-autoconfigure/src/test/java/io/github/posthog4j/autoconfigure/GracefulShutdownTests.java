package io.github.posthog4j.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.testsupport.PosthogStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Lifecycle matrix row "graceful shutdown": a request still draining in the web server
 * captures an event; the engine is still running then (its phase stops after the web
 * server's), the event is delivered and no {@code posthog-*} thread survives the close.
 */
class GracefulShutdownTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    @AfterEach
    void tearDown() {
        posthog.close();
    }

    @Test
    void whenShuttingDownGracefullyShouldDeliverEventsCapturedByDrainingRequests() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(WebApp.class)
            .properties("server.port=0", "server.address=127.0.0.1", "server.shutdown=graceful",
                    "spring.lifecycle.timeout-per-shutdown-phase=20s", "posthog.api-key=phc_graceful",
                    "posthog.host=" + posthog.url(), "posthog.flush-interval=5s")
            .run();
        WebApp app = context.getBean(WebApp.class);
        String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
        assertThat(get(base + "/ping").statusCode()).isEqualTo(200);

        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(
                HttpRequest.newBuilder(URI.create(base + "/slow")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(app.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        Thread closer = new Thread(context::close, "closer");
        closer.start();
        assertThat(app.closing.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        // The server drains: it no longer answers new requests while /slow is in flight.
        await().atMost(WAIT).until(() -> !answers(base + "/ping"));
        app.release.countDown();

        HttpResponse<String> response = slow.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        String uuid = response.body();
        closer.join(WAIT.toMillis());
        assertThat(closer.isAlive()).isFalse();
        assertThat(app.engineRunningAtCapture).isTrue();
        assertThat(posthog.uuidCounts()).containsEntry(uuid, 1);
        assertThat(posthog.duplicates()).isZero();
        await().atMost(WAIT).until(() -> PosthogThreads.count() == 0);
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private boolean answers(String url) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(300)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        }
        catch (Exception ex) {
            return false;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @RestController
    static class WebApp {

        final CountDownLatch entered = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        final CountDownLatch closing = new CountDownLatch(1);

        volatile boolean engineRunningAtCapture;

        private final ManagedPosthogClient client;

        WebApp(ManagedPosthogClient client) {
            this.client = client;
        }

        @GetMapping("/ping")
        String ping() {
            return "pong";
        }

        @GetMapping("/slow")
        String slow() throws InterruptedException {
            entered.countDown();
            release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            String uuid = client.capture("drained-user", "captured while draining");
            engineRunningAtCapture = client.isRunning();
            return uuid;
        }

        @Bean
        ApplicationListener<ContextClosedEvent> closingListener() {
            return (event) -> closing.countDown();
        }

    }

}
