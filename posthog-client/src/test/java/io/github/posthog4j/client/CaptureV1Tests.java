package io.github.posthog4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.testsupport.PosthogExtension;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Capture v1 on the wire: route, headers, envelope, event shape and options, per-event
 * results (only the events PostHog asks to retry are resent, as the same request), status
 * handling and zstd.
 */
class CaptureV1Tests {

    private static final String PATH = "/i/v1/analytics/events";

    @RegisterExtension
    final PosthogExtension posthog = PosthogExtension.withDefaults((b) -> b.apiKey("phc_v1_key")
        .captureProtocol(CaptureProtocol.V1)
        .retryInitialBackoff(Duration.ofMillis(50))
        .retryMaxBackoff(Duration.ofMillis(200)));

    private List<PosthogStandIn.Request> v1Requests() {
        List<PosthogStandIn.Request> out = new ArrayList<>();
        for (PosthogStandIn.Request r : this.posthog.server().requests()) {
            if (r.path().equals(PATH)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * Answers each request with the result the function gives each event (by request
     * number and event name).
     */
    private void results(Function<Integer, Function<String, String>> perRequest) {
        AtomicInteger n = new AtomicInteger();
        this.posthog.server().route(PATH, (request) -> {
            Function<String, String> result = perRequest.apply(n.getAndIncrement());
            StringBuilder json = new StringBuilder("{\"results\":{");
            String sep = "";
            for (JsonNode e : request.events()) {
                json.append(sep)
                    .append('"')
                    .append(e.get("uuid").asText())
                    .append("\":{\"result\":\"")
                    .append(result.apply(e.get("event").asText()))
                    .append("\"}");
                sep = ",";
            }
            return Reply.ok().json(json.append("}}").toString());
        });
    }

    @Test
    void whenCapturedShouldSendTheV1RequestAndEventShape() {
        results((i) -> (name) -> "ok");
        ManagedPosthogClient client = this.posthog.client((b) -> b.compression(false));
        String uuid = client.capture(CaptureOptions.builder("user-1", "order placed")
            .property("total", 42)
            .property("$session_id", "s-1")
            .set("plan", "pro")
            .cookielessMode(true)
            .productTourId("tour-7")
            .build());
        String personless = client.capture(null, "anonymous visit");
        assertThat(client.flush()).isEqualTo(2);

        PosthogStandIn.Request request = v1Requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        Map<String, String> headers = request.headers();
        assertThat(headers).containsEntry("authorization", "Bearer phc_v1_key")
            .containsEntry("posthog-attempt", "1")
            .doesNotContainKey("content-encoding");
        assertThat(headers.get("content-type")).startsWith("application/json");
        assertThat(headers.get("posthog-sdk-info")).matches("posthog-spring-boot/.+");
        assertThat(UUID.fromString(headers.get("posthog-request-id"))).isNotNull();
        assertThat(Instant.parse(headers.get("posthog-request-timestamp"))).isBefore(Instant.now().plusSeconds(1));
        JsonNode body = request.json();
        assertThat(body.has("api_key")).isFalse();
        assertThat(body.has("sent_at")).isFalse();
        assertThat(body.has("historical_migration")).isFalse();
        assertThat(Instant.parse(body.get("created_at").asText())).isBefore(Instant.now().plusSeconds(1));
        JsonNode event = body.get("batch").get(0);
        assertThat(event.get("uuid").asText()).isEqualTo(uuid);
        assertThat(event.get("distinct_id").asText()).isEqualTo("user-1");
        assertThat(event.get("session_id").asText()).isEqualTo("s-1");
        assertThat(event.get("options").get("cookieless_mode").asBoolean()).isTrue();
        assertThat(event.get("options").get("product_tour_id").asText()).isEqualTo("tour-7");
        assertThat(event.get("options").has("process_person_profile")).isFalse();
        JsonNode props = event.get("properties");
        assertThat(props.get("total").asInt()).isEqualTo(42);
        assertThat(props.get("$set").get("plan").asText()).isEqualTo("pro");
        assertThat(props.has("$lib")).isFalse();
        assertThat(props.has("$session_id")).isFalse();
        assertThat(props.has("$cookieless_mode")).isFalse();
        JsonNode second = body.get("batch").get(1);
        assertThat(second.get("uuid").asText()).isEqualTo(personless);
        assertThat(second.get("options").get("process_person_profile").asBoolean()).isFalse();
        assertThat(second.get("properties").has("$process_person_profile")).isFalse();
    }

    @Test
    void whenPosthogAsksToRetrySomeEventsShouldResendOnlyThoseAsTheSameRequest() {
        results((i) -> (name) -> (i == 0 && name.equals("second")) ? "retry"
                : (i == 0 && name.equals("third")) ? "drop" : "ok");
        ManagedPosthogClient client = this.posthog.client((b) -> b.flushAt(10));
        client.capture("u", "first");
        String retried = client.capture("u", "second");
        client.capture("u", "third");
        client.flush();

        await().atMost(Duration.ofSeconds(10)).until(() -> client.status().sent() == 2);
        List<PosthogStandIn.Request> requests = v1Requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).events()).hasSize(3);
        assertThat(requests.get(1).events()).extracting((e) -> e.get("uuid").asText()).containsExactly(retried);
        assertThat(requests.get(1).headers().get("posthog-request-id"))
            .isEqualTo(requests.get(0).headers().get("posthog-request-id"));
        assertThat(requests.get(1).headers().get("posthog-attempt")).isEqualTo("2");
        assertThat(requests.get(1).json().get("created_at").asText())
            .isEqualTo(requests.get(0).json().get("created_at").asText());
        assertThat(client.status().dropped().get(DropReason.REJECTED)).isEqualTo(1);
        assertThat(client.status().queueSize()).isZero();
    }

    @Test
    void whenPosthogLimitsEventsShouldCountThemAndNotRetry() {
        results((i) -> (name) -> "limited");
        ManagedPosthogClient client = this.posthog.client();
        client.capture("u", "e1");
        client.capture("u", "e2");
        client.flush();
        assertThat(client.status().dropped().get(DropReason.RATE_LIMITED)).isEqualTo(2);
        assertThat(v1Requests()).hasSize(1);
    }

    @Test
    void whenTooManyRequestsShouldRetryAndLoseNothing() {
        this.posthog.server().respondWith(429);
        ManagedPosthogClient client = this.posthog.client();
        client.capture("u", "e");
        client.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.status().sent() == 1);
        assertThat(v1Requests()).hasSize(2);
        assertThat(client.status().droppedTotal()).isZero();
    }

    @Test
    void whenForbiddenShouldRejectWithoutRetry() {
        this.posthog.server().respondWith(403);
        ManagedPosthogClient client = this.posthog.client();
        client.capture("u", "e");
        client.flush();
        assertThat(v1Requests()).hasSize(1);
        assertThat(client.status().dropped().get(DropReason.REJECTED)).isEqualTo(1);
    }

    @Test
    void whenServiceUnavailableShouldRetryTheSameRequestWithNextAttempt() {
        this.posthog.server().respondWith(503, 503);
        ManagedPosthogClient client = this.posthog.client();
        client.capture("u", "e");
        client.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.status().sent() == 1);
        List<PosthogStandIn.Request> requests = v1Requests();
        assertThat(requests).hasSizeGreaterThanOrEqualTo(2);
        assertThat(requests).extracting((r) -> r.headers().get("posthog-request-id"))
            .containsOnly(requests.get(0).headers().get("posthog-request-id"));
        assertThat(requests.get(requests.size() - 1).headers().get("posthog-attempt"))
            .isEqualTo(String.valueOf(requests.size()));
    }

    @Test
    void whenZstdIsChosenShouldSendZstdBodies() {
        results((i) -> (name) -> "ok");
        ManagedPosthogClient client = this.posthog
            .client((b) -> b.compression(true).compressionEncoding(CompressionEncoding.ZSTD));
        client.capture("u", "zstd event");
        assertThat(client.flush()).isEqualTo(1);
        PosthogStandIn.Request request = v1Requests().get(0);
        assertThat(request.headers()).containsEntry("content-encoding", "zstd");
        assertThat(request.events().get(0).get("event").asText()).isEqualTo("zstd event");
        assertThat(request.wireBytes()).isLessThan(request.body().length);
    }

    @Test
    void whenHistoricalMigrationShouldMarkTheV1Body() {
        results((i) -> (name) -> "ok");
        ManagedPosthogClient client = this.posthog.client((b) -> b.historicalMigration(true));
        client.capture("u", "imported");
        client.flush();
        assertThat(v1Requests().get(0).json().get("historical_migration").asBoolean()).isTrue();
    }

    @Test
    void whenCaptureProtocolIsV0ShouldIgnoreZstdAndUseGzip() {
        ManagedPosthogClient client = this.posthog
            .client((b) -> b.captureProtocol(CaptureProtocol.V0).compressionEncoding(CompressionEncoding.ZSTD));
        client.capture("u", "v0 event");
        assertThat(client.flush()).isEqualTo(1);
        PosthogStandIn.Request request = this.posthog.server().batchRequests().get(0);
        assertThat(request.headers()).containsEntry("content-encoding", "gzip");
        assertThat(request.json().get("api_key").asText()).isEqualTo("phc_v1_key");
        assertThat(v1Requests()).isEmpty();
    }

}
