package io.github.posthog4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.testsupport.LogCapture;
import io.github.posthog4j.testsupport.LogCapture.CapturedLog;
import io.github.posthog4j.testsupport.PosthogExtension;
import io.github.posthog4j.testsupport.PosthogStandIn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * captureAi: its own route ({@code /i/v0/ai/batch/}, v0 batch shape), queue, limits,
 * counters and thread, started lazily; capture never reroutes {@code $ai_*} events.
 */
@ExtendWith(LogCapture.class)
class AiCaptureTests {

    private static final String AI_PATH = "/i/v0/ai/batch/";

    @RegisterExtension
    final PosthogExtension posthog = PosthogExtension.withDefaults((b) -> b.apiKey("phc_ai_key"));

    private List<PosthogStandIn.Request> requests(String path) {
        List<PosthogStandIn.Request> out = new ArrayList<>();
        for (PosthogStandIn.Request r : this.posthog.server().requests()) {
            if (r.path().equals(path)) {
                out.add(r);
            }
        }
        return out;
    }

    @Test
    void whenCapturedAsAiShouldRideTheAiRouteAndCaptureShouldNot() {
        ManagedPosthogClient client = this.posthog.client();
        String ai = client.captureAi("user-1", "$ai_generation", Map.of("$ai_model", "gpt"));
        String plain = client.capture("user-1", "$ai_generation");
        client.capture("user-1", "button_clicked");
        client.flush();

        List<PosthogStandIn.Request> aiRequests = requests(AI_PATH);
        assertThat(aiRequests).hasSize(1);
        JsonNode body = aiRequests.get(0).json();
        assertThat(body.get("api_key").asText()).isEqualTo("phc_ai_key");
        assertThat(body.get("batch")).hasSize(1);
        JsonNode event = body.get("batch").get(0);
        assertThat(event.get("uuid").asText()).isEqualTo(ai);
        assertThat(event.get("event").asText()).isEqualTo("$ai_generation");
        assertThat(event.get("timestamp").asText()).endsWith("Z");
        assertThat(event.get("properties").get("$ai_model").asText()).isEqualTo("gpt");
        assertThat(event.get("properties").get("$lib").asText()).isEqualTo("posthog-spring-boot");
        assertThat(this.posthog.server().batchRequests()).flatExtracting(PosthogStandIn.Request::events)
            .extracting((e) -> e.get("uuid").asText())
            .hasSize(2)
            .contains(plain)
            .doesNotContain(ai);
        Map<String, PosthogClientStatus> pipelines = client.pipelineStatus();
        assertThat(pipelines).containsOnlyKeys("events", "ai");
        assertThat(pipelines.get("ai").sent()).isEqualTo(1);
        assertThat(pipelines.get("ai").captured()).isEqualTo(1);
        assertThat(pipelines.get("ai").queueCapacity()).isEqualTo(PosthogClientBuilder.DEFAULT_AI_MAX_QUEUE_SIZE);
        assertThat(client.status().sent()).isEqualTo(2);
        assertThat(this.posthog.reports()).filteredOn((r) -> r.pipeline().equals("ai")).hasSize(1);
    }

    @Test
    void whenNoAiEventWasCapturedShouldHaveNoAiQueueNorThread() {
        AtomicReference<String> created = new AtomicReference<>();
        ManagedPosthogClient client = this.posthog.client((b) -> b.listener(new PosthogClientListener() {
            @Override
            public void onPipelineCreated(String pipeline) {
                created.set(pipeline);
            }
        }));
        client.capture("u", "e");
        client.flush();
        assertThat(client.pipelineStatus()).containsOnlyKeys("events");
        assertThat(Threads.named("posthog-ai-")).isEmpty();
        assertThat(created.get()).isNull();

        client.captureAi("u", "$ai_span");
        assertThat(created.get()).isEqualTo("ai");
        assertThat(Threads.named("posthog-ai-consumer-")).hasSize(1);
        client.stop();
        assertThat(Threads.named("posthog-ai-")).isEmpty();
        client.start();
        assertThat(Threads.named("posthog-ai-consumer-")).hasSize(1);
        client.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> Threads.named("posthog-").isEmpty());
        assertThat(requests(AI_PATH)).flatExtracting(PosthogStandIn.Request::events).hasSize(1);
    }

    @Test
    void whenCallerSuppliesAUuidShouldKeepIt() {
        ManagedPosthogClient client = this.posthog.client();
        String uuid = "0198c0de-0000-7000-8000-000000000abc";
        assertThat(client.captureAi(CaptureOptions.builder("u", "$ai_trace").uuid(uuid).build())).isEqualTo(uuid);
        client.flush();
        assertThat(requests(AI_PATH).get(0).events().get(0).get("uuid").asText()).isEqualTo(uuid);
    }

    @Test
    void whenAnAiEventIsLargerThanTheAnalyticsLimitShouldStillBeDelivered() {
        ManagedPosthogClient client = this.posthog.client();
        String large = "x".repeat(2 * 1024 * 1024);
        assertThat(client.captureAi("u", "$ai_generation", Map.of("$ai_input", large))).isNotNull();
        assertThat(client.capture("u", "$ai_generation", Map.of("$ai_input", large))).isNotNull();
        client.flush();
        assertThat(requests(AI_PATH)).flatExtracting(PosthogStandIn.Request::events).hasSize(1);
        assertThat(client.status().dropped().get(DropReason.TOO_LARGE)).isEqualTo(1);
    }

    @Test
    void whenAnAiEventExceedsItsCapShouldDropItLoggingNameAndSizeOnly(CapturedLog output) {
        ManagedPosthogClient client = this.posthog.client();
        String secret = "secret-prompt-" + "y".repeat(9 * 1024 * 1024);
        assertThat(client.captureAi("u", "$ai_generation", Map.of("$ai_input", secret))).isNotNull();
        client.flush();
        assertThat(requests(AI_PATH)).isEmpty();
        assertThat(client.pipelineStatus().get("ai").dropped().get(DropReason.TOO_LARGE)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> output.toString().contains("over the limit of 8388608"));
        assertThat(output.toString()).contains("$ai_generation").doesNotContain("secret-prompt");
    }

    @Test
    void whenTheAiRouteIsDownShouldKeepTheEventsAndNeverThrow() {
        this.posthog.server().respondWith(503, 503, 503, 503);
        ManagedPosthogClient client = this.posthog
            .client((b) -> b.retryInitialBackoff(Duration.ofMillis(20)).retryMaxBackoff(Duration.ofMillis(40)));
        String uuid = client.captureAi("u", "$ai_generation");
        assertThat(uuid).isNotNull();
        client.flush(Duration.ofSeconds(5));
        PosthogClientStatus ai = client.pipelineStatus().get("ai");
        assertThat(ai.backingOff()).isTrue();
        assertThat(ai.queueSize()).isEqualTo(1);
        assertThat(ai.droppedTotal()).isZero();
        assertThat(client.status().backingOff()).isFalse();
        assertThat(requests(AI_PATH)).hasSize(4);
    }

    @Test
    void whenOptedOutOrInvalidShouldNotAdmit() {
        ManagedPosthogClient client = this.posthog.client();
        client.optOut();
        assertThat(client.captureAi("u", "$ai_generation")).isNull();
        client.optIn();
        assertThat(client.captureAi("u", " ")).isNull();
        assertThat(client.pipelineStatus().get("ai").dropped().get(DropReason.INVALID)).isEqualTo(1);
    }

}
