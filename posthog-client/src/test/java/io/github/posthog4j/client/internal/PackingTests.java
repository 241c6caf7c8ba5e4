package io.github.posthog4j.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.testsupport.PosthogExtension;
import io.github.posthog4j.testsupport.PosthogStandIn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * While a request hangs (PostHog accepts and never answers), the helper consumer packs
 * the growing queue into serialised runs, and the events arrive unchanged, once, in
 * order, when PostHog answers again. Real threads, real HTTP to a loopback stand-in.
 */
class PackingTests {

    @RegisterExtension
    final PosthogExtension posthog = PosthogExtension.create().serverThreads(6);

    @Test
    void whenARequestHangsShouldPackTheBacklogAndDeliverItUnchangedInOrder() {
        PosthogStandIn server = this.posthog.server();
        server.stall();
        ManagedPosthogClient client = this.posthog.client((b) -> b.flushAt(100));
        MemoryQueue queue = ((DefaultPosthogClient) client).queue();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            order.add(client.capture("user-" + (i % 7), "before", properties(i)));
        }
        // the first request is out and hangs
        await().atMost(Duration.ofSeconds(5)).until(() -> server.batchRequests().size() == 1);
        for (int i = 100; i < 3_100; i++) {
            order.add(client.capture("user-" + (i % 7), "during", properties(i)));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.packed() >= 2_000);
        assertThat(queue.unpacked()).isLessThan(Dispatcher.PACK_MIN_EVENTS);
        assertThat(server.batchRequests()).as("nothing else sent while the first request hangs").hasSize(1);

        server.release();
        client.flush(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).until(() -> server.eventCount() == 3_100);
        assertThat(server.uuidCounts().keySet()).isEqualTo(new HashSet<>(order));
        assertThat(server.duplicates()).isZero();

        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            index.put(order.get(i), i);
        }
        List<String> keysBefore = null;
        for (PosthogStandIn.Request r : server.batchRequests()) {
            List<JsonNode> events = r.events();
            for (int k = 0; k < events.size(); k++) {
                JsonNode e = events.get(k);
                int i = index.get(e.path("uuid").asText());
                if (k > 0) {
                    assertThat(i).as("a batch is a run of consecutive captures")
                        .isEqualTo(index.get(events.get(k - 1).path("uuid").asText()) + 1);
                }
                assertThat(e.path("event").asText()).isEqualTo((i < 100) ? "before" : "during");
                assertThat(e.path("distinct_id").asText()).isEqualTo("user-" + (i % 7));
                JsonNode p = e.path("properties");
                assertThat(p.path("i").asInt()).isEqualTo(i);
                assertThat(p.path("text").asText()).isEqualTo("é ✓ \"quoted\"\n" + i);
                assertThat(p.path("nested").path("list").toString()).isEqualTo("[1,\"two\",true]");
                assertThat(e.path("timestamp").asText()).isNotEmpty();
                List<String> keys = new ArrayList<>();
                p.fieldNames().forEachRemaining(keys::add);
                if (keysBefore == null) {
                    keysBefore = keys;
                }
                assertThat(keys).as("packed and unpacked events carry the same properties")
                    .containsExactlyInAnyOrderElementsOf(keysBefore);
            }
        }
        assertThat(queue.packed()).isZero();
        assertThat(client.status().queueSize()).isZero();
    }

    private static Map<String, Object> properties(int i) {
        return Map.of("i", i, "text", "é ✓ \"quoted\"\n" + i, "nested", Map.of("list", List.of(1, "two", true)));
    }

}
