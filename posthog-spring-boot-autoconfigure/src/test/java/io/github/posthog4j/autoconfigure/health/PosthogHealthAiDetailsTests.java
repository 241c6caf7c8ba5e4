package io.github.posthog4j.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.testsupport.PosthogStandIn;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The AI pipeline in the health details, once it exists. */
class PosthogHealthAiDetailsTests {

    @Test
    void whenAiEventsWereCapturedShouldShowTheAiPipeline() {
        try (PosthogStandIn posthog = PosthogStandIn.start();
                ManagedPosthogClient client = PosthogClient.builder("phc_health_ai").host(posthog.url()).build()) {
            assertThat(PosthogHealthDetails.of(client, false).details()).doesNotContainKey("ai");
            client.captureAi("u", "$ai_generation");
            client.flush();
            Map<String, Object> details = PosthogHealthDetails.of(client, false).details();
            assertThat(details).containsKey("ai");
            @SuppressWarnings("unchecked")
            Map<String, Object> ai = (Map<String, Object>) details.get("ai");
            assertThat(ai).containsEntry("sent", 1L)
                .containsEntry("queueSize", 0)
                .containsEntry("queueCapacity", 1000)
                .containsEntry("unreachable", false);
            assertThat(details).containsEntry("sent", 0L);
        }
    }

}
