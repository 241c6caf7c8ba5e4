package io.github.posthog4j.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.testsupport.PosthogStandIn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The retry policy of a pipeline, on the generic machinery with a spec of its own (as a
 * logs pipeline will have): DROP counts the batch {@code retries_exhausted} after its
 * retries and goes on; KEEP_AND_PROBE hands it back and enters the outage state. Real
 * HTTP to a loopback stand-in.
 */
class PipelineRetryPolicyTests {

    private final PosthogStandIn server = PosthogStandIn.start();

    @AfterEach
    void tearDown() {
        this.server.close();
    }

    private static PipelineSpec spec(PipelineLimits.RetryPolicy policy) {
        return new PipelineSpec("test", "posthog-test-consumer-",
                (s) -> new PipelineLimits(10, 10, Duration.ofSeconds(1), 100, 1024 * 1024, 64 * 1024, 1, 2,
                        Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(30), Duration.ofMinutes(1),
                        policy),
                (s, serializer) -> new V0BatchProtocol("/i/v1/test", s.apiKey(), false, serializer), (s) -> false);
    }

    private static final class Run {

        final Stats stats = new Stats();

        final OutageBackoff backoff;

        final DeliveryParts parts;

        final ClientSettings settings;

        Run(PipelineSpec spec, String host) {
            this.settings = ClientSettings.of(PosthogClient.builder("phc_policy").host(host));
            Pipelines.LimitsHolder limits = new Pipelines.LimitsHolder(spec, this.settings);
            Drops drops = new Drops(this.stats, new Listeners(List.of()), new DeferredLog(Log.CLIENT));
            MemoryQueue queue = new MemoryQueue(100);
            Dispatcher[] dispatcher = new Dispatcher[1];
            this.backoff = new OutageBackoff(limits, () -> dispatcher[0].signalWork());
            dispatcher[0] = new Dispatcher(limits, queue, null, this.backoff, this.stats);
            DeliveryResults results = new DeliveryResults(dispatcher[0], null, this.stats, drops, this.backoff);
            this.parts = new DeliveryParts(spec, limits, queue, () -> this.settings, dispatcher[0], results,
                    this.backoff, new Listeners(List.of()), (e) -> {
                    }, null, this.stats, drops);
        }

        List<Batch> deliver(int events) {
            List<QueuedEvent> batch = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                batch.add(new QueuedEvent(Uuid7.generate(System.currentTimeMillis()).toString(), "record-" + i, "u",
                        System.currentTimeMillis(), null, Map.of("i", i), Map.of(), false, null));
            }
            this.stats.captured.add(events);
            try (HttpTransport transport = new HttpTransport(this.settings, "posthog-test-http-")) {
                return this.parts.sender(this.settings, transport).deliver(new Batch(batch, 0), new Waiter() {
                    @Override
                    public boolean stopped() {
                        return false;
                    }

                    @Override
                    public boolean sleep(long millis) {
                        try {
                            Thread.sleep(millis);
                            return true;
                        }
                        catch (InterruptedException ex) {
                            Thread.currentThread().interrupt();
                            return false;
                        }
                    }
                }, false);
            }
        }

    }

    @Test
    void whenThePolicyIsDropShouldDropAfterTheRetriesAndGoOn() {
        this.server.defaultReply(PosthogStandIn.Reply.status(503));
        Run run = new Run(spec(PipelineLimits.RetryPolicy.DROP), this.server.url());
        assertThat(run.deliver(3)).isEmpty();
        assertThat(this.server.requests()).hasSize(3).allMatch((r) -> r.path().equals("/i/v1/test"));
        assertThat(run.stats.dropped(DropReason.RETRIES_EXHAUSTED)).isEqualTo(3);
        assertThat(run.backoff.isActive()).isFalse();
        assertThat(run.parts.dispatcher().pending()).isZero();
    }

    @Test
    void whenThePolicyIsKeepAndProbeShouldHandTheBatchBackAndBackOff() {
        this.server.defaultReply(PosthogStandIn.Reply.status(503));
        Run run = new Run(spec(PipelineLimits.RetryPolicy.KEEP_AND_PROBE), this.server.url());
        List<Batch> left = run.deliver(3);
        assertThat(left).hasSize(1);
        assertThat(left.get(0).size()).isEqualTo(3);
        assertThat(left.get(0).attempts).isEqualTo(3);
        assertThat(this.server.requests()).hasSize(3);
        assertThat(run.stats.droppedByReason().values()).containsOnly(0L);
        assertThat(run.backoff.isActive()).isTrue();
    }

}
