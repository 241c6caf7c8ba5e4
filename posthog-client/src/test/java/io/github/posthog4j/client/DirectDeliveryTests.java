package io.github.posthog4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posthog4j.testsupport.PosthogStandIn;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PosthogClientBuilder#deliverTo}: the full capture pipeline, no thread and no
 * request.
 */
class DirectDeliveryTests {

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final List<PosthogEvent> delivered = new CopyOnWriteArrayList<>();

    private ManagedPosthogClient client;

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        posthog.close();
    }

    @Test
    void whenDeliveringDirectlyShouldHandTheFinalEventToTheConsumerAndSendNothing() {
        client = PosthogClient.builder("phc_direct")
            .host(posthog.url())
            .superProperty("app", "shop")
            .beforeSend((e) -> {
                e.properties().put("scrubbed", true);
                return e;
            })
            .deliverTo(delivered::add)
            .build();
        String uuid = client.capture("u1", "order placed", Map.of("total", 42));
        client.capture(null, "personless");
        client.capture("u1", " ");

        assertThat(client.isRunning()).isFalse();
        assertThat(delivered).hasSize(2);
        PosthogEvent first = delivered.get(0);
        assertThat(first.uuid()).isEqualTo(uuid);
        assertThat(first.event()).isEqualTo("order placed");
        assertThat(first.distinctId()).isEqualTo("u1");
        assertThat(first.properties()).containsEntry("total", 42)
            .containsEntry("app", "shop")
            .containsEntry("scrubbed", true);
        assertThat(delivered.get(1).properties()).containsEntry("$process_person_profile", false);
        assertThat(client.status().sent()).isEqualTo(2);
        assertThat(client.status().dropped().get(DropReason.INVALID)).isEqualTo(1);
        assertThat(client.flush()).isZero();
        client.close();
        assertThat(posthog.requests()).isEmpty();
        // another test class's closed client may still have its posthog-log writer
        // lingering (it ends within a second): wait for it, as FlushAndLifecycleTests
        // does
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(5))
            .until(() -> Thread.getAllStackTraces()
                .keySet()
                .stream()
                .noneMatch((t) -> t.getName().startsWith("posthog-")));
    }

    @Test
    void whenTheConsumerThrowsShouldDropThatEventOnly() {
        client = PosthogClient.builder("phc_direct").host(posthog.url()).deliverTo((e) -> {
            if (e.event().equals("bad")) {
                throw new IllegalStateException("boom");
            }
            delivered.add(e);
        }).build();
        assertThat(client.capture("u", "bad")).isNull();
        assertThat(client.capture("u", "good")).isNotNull();
        assertThat(delivered).extracting(PosthogEvent::event).containsExactly("good");
        assertThat(client.status().dropped().get(DropReason.BEFORE_SEND)).isEqualTo(1);
    }

}
