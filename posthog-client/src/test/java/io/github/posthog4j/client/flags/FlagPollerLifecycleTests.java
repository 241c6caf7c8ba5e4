package io.github.posthog4j.client.flags;

import static io.github.posthog4j.client.flags.FlagsFixtures.DEFINITIONS;
import static io.github.posthog4j.client.flags.FlagsFixtures.definitionsRequests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogClientBuilder;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code posthog-flags} thread lives exactly as long as the delivery engine. */
class FlagPollerLifecycleTests {

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private ManagedPosthogClient client;

    FlagPollerLifecycleTests() {
        posthog.route("/api/feature_flag/local_evaluation", request -> Reply.ok().json(DEFINITIONS));
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        posthog.close();
    }

    private PosthogClientBuilder builder() {
        return PosthogClient.builder("phc_life")
            .host(posthog.url())
            .personalApiKey("phx_life")
            .localEvaluation(true)
            .flagsPollInterval(Duration.ofMillis(50))
            .shutdownTimeout(Duration.ofSeconds(5));
    }

    private static long flagThreads() {
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter(t -> t.isAlive() && t.getName().startsWith("posthog-flags"))
            .count();
    }

    @Test
    void whenNotStartedShouldRunNoPollerAndMakeNoRequest() {
        client = builder().buildStopped();
        assertThat(flagThreads()).isZero();
        assertThat(definitionsRequests(posthog)).isEmpty();
        assertThat(client.flagsStatus().pollerRunning()).isFalse();
    }

    @Test
    void whenStartedAndStoppedShouldStartAndEndThePoller() {
        client = builder().buildStopped();

        client.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.flagsStatus().definitionsLoaded());
        assertThat(client.flagsStatus().pollerRunning()).isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals("posthog-flags"));

        client.stop();
        assertThat(flagThreads()).isZero();
        int requests = definitionsRequests(posthog).size();
        assertThat(client.flagsStatus().definitionsLoaded()).isTrue(); // definitions
                                                                       // survive a stop
        assertThat(client.isFeatureEnabled("beta", "user_1")).isTrue();

        client.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> definitionsRequests(posthog).size() > requests);
        client.close();
        assertThat(flagThreads()).isZero();
    }

    @Test
    void whenCycledManyTimesShouldLeaveNoPollerThread() {
        long selectorsBefore = selectorThreads();
        client = builder().buildStopped();
        for (int i = 0; i < 100; i++) {
            client.start();
            client.stop();
        }
        assertThat(flagThreads()).isZero();
        client.start();
        assertThat(flagThreads()).isPositive();
        client.close();
        assertThat(flagThreads()).isZero();
        // JDK 17's HttpClient has no close(): its selector thread ends once the client is
        // unreachable. Nothing of
        // ours may keep 100 of them reachable.
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> {
                System.gc();
                return selectorThreads() <= selectorsBefore + 2;
            });
    }

    private static long selectorThreads() {
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter(t -> t.isAlive() && t.getName().endsWith("SelectorManager"))
            .count();
    }

    @Test
    void whenLocalEvaluationIsOffShouldRunNoPoller() {
        client = PosthogClient.builder("phc_life").host(posthog.url()).personalApiKey("phx_life").build();
        assertThat(flagThreads()).isZero();
        assertThat(client.flagsStatus().localEvaluation()).isFalse();
    }

    @Test
    void whenInitialLoadWaitIsSetShouldHaveDefinitionsRightAfterStart() {
        client = builder().flagsInitialLoadWait(Duration.ofSeconds(5)).build();
        assertThat(client.flagsStatus().definitionsLoaded()).isTrue();
    }

}
