package io.github.posthog4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.posthog4j.testsupport.LogCapture;
import io.github.posthog4j.testsupport.LogCapture.CapturedLog;
import io.github.posthog4j.testsupport.PosthogExtension;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The in-memory queue is bounded by a heap budget (issue 17): the defaults absorb a burst
 * of 200,000 events while PostHog is down, and a budget that is exceeded drops new
 * captures, counted and logged.
 */
@ExtendWith(LogCapture.class)
class QueueBudgetTests {

    private static final int BURST = 200_000;

    @RegisterExtension
    final PosthogExtension posthog = PosthogExtension.create();

    private static Map<String, Object> properties(int i) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("plan", "pro");
        p.put("path", "/checkout/" + i);
        p.put("items", i % 7);
        p.put("amount", 42.5);
        p.put("first", Boolean.TRUE);
        return p;
    }

    @Test
    void defaultsAbsorbABurstOf200000EventsWhilePosthogIsDownAndDeliverThemAll() throws Exception {
        this.posthog.server().defaultReply(Reply.status(503));
        // the builder's defaults but for the host, the listener, a quick probe and room
        // to deliver the whole burst in one flush
        ManagedPosthogClient client = this.posthog.track(PosthogClient.builder("phc_test_key")
            .host(this.posthog.server().url())
            .captureProtocol(PosthogExtension.captureProtocolUnderTest())
            .retryInitialBackoff(Duration.ofMillis(10))
            .probeInterval(Duration.ofMillis(100))
            .flushTimeout(Duration.ofMinutes(2))
            .build());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int offset = t * (BURST / 2);
            Thread thread = new Thread(() -> {
                for (int i = 0; i < BURST / 2; i++) {
                    client.capture("user-" + ((offset + i) % 1024), "order completed", properties(offset + i));
                }
            }, "burst-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        PosthogClientStatus during = client.status();
        assertThat(during.dropped().get(DropReason.QUEUE_FULL)).isZero();
        assertThat(during.captured()).isEqualTo(BURST);
        assertThat(during.droppedTotal()).isZero();

        this.posthog.server().defaultReply(Reply.ok());
        client.flush();
        await().atMost(Duration.ofMinutes(2))
            .untilAsserted(() -> assertThat(this.posthog.server().uuidCounts()).hasSize(BURST));
        assertThat(client.status().droppedTotal()).isZero();
    }

    @Test
    void aBudgetThatIsExceededDropsNewCapturesCountedAndLogged(CapturedLog log) {
        ManagedPosthogClient client = this.posthog.stoppedClient((b) -> b.maxQueueBytes(1024 * 1024));
        String tenKilobytes = "x".repeat(10 * 1024);
        int accepted = 0;
        for (int i = 0; i < 200; i++) {
            if (client.capture("user-" + i, "large", Map.of("blob", tenKilobytes)) != null) {
                accepted++;
            }
        }
        // 1 MiB holds about a hundred events of 10 KiB, not the 1,000,000 of the count
        // bound
        assertThat(accepted).isBetween(80, 102);
        assertThat(client.status().queueSize()).isEqualTo(accepted);
        assertThat(client.status().dropped().get(DropReason.QUEUE_FULL)).isEqualTo(200L - accepted);
        assertThat(this.posthog.drops(DropReason.QUEUE_FULL)).isEqualTo(200L - accepted);
        client.close();
        int dropped = 200 - accepted;
        await().atMost(Duration.ofSeconds(5))
            .untilAsserted(() -> assertThat(log).contains("The PostHog queue is full")
                .contains("dropped " + dropped + " events")
                .contains("posthog.max-queue-bytes"));
    }

    @Test
    void theSameBudgetHoldsManyMoreSmallEvents() {
        ManagedPosthogClient client = this.posthog.stoppedClient((b) -> b.maxQueueBytes(1024 * 1024));
        int accepted = 0;
        for (int i = 0; i < 5000; i++) {
            if (client.capture("user-" + i, "small", properties(i)) != null) {
                accepted++;
            }
        }
        assertThat(accepted).isBetween(1000, 3000);
        assertThat(client.status().dropped().get(DropReason.QUEUE_FULL)).isEqualTo(5000L - accepted);
    }

    @Test
    void deliveredEventsFreeTheirShareOfTheBudget() {
        ManagedPosthogClient client = this.posthog.client((b) -> b.maxQueueBytes(1024 * 1024));
        String tenKilobytes = "x".repeat(10 * 1024);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 80; i++) {
                assertThat(client.capture("user-" + i, "large", Map.of("blob", tenKilobytes))).isNotNull();
            }
            client.flush();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> this.posthog.server().eventCount() == 240);
        assertThat(client.status().droppedTotal()).isZero();
    }

    @Test
    void theDefaultBudgetIsAnEighthOfTheMaximumHeapAtMost256Mebibytes() {
        long expected = Math.max(1024 * 1024, Math.min(Runtime.getRuntime().maxMemory() / 8, 256L * 1024 * 1024));
        assertThat(PosthogClient.builder("phc_test_key").settings().queueByteBound()).isEqualTo(expected);
        assertThat(PosthogClient.builder("phc_test_key").maxQueueBytes(5_000_000).settings().queueByteBound())
            .isEqualTo(5_000_000);
    }

    @Test
    void aBudgetBelowOneMebibyteIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> PosthogClient.builder("phc_test_key").maxQueueBytes(1000).buildStopped())
            .isInstanceOf(PosthogConfigurationException.class)
            .hasMessageContaining("maxQueueBytes is 1000")
            .hasMessageContaining("at least 1048576");
    }

}
