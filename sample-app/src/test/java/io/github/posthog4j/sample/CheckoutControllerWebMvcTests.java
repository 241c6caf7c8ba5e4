package io.github.posthog4j.sample;

import static io.github.posthog4j.test.PosthogAssertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.github.posthog4j.test.AutoConfigurePosthog;
import io.github.posthog4j.test.PosthogRecorder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The flag-driven checkout in a {@code @WebMvcTest} slice with the test kit: fixed flag
 * values drive the response, and the test asserts the event the request captured, for
 * whom, with which flags, and which flags it read. No PostHog, no thread, no socket.
 */
@SampleWebMvcTest(CheckoutController.class)
@AutoConfigurePosthog
class CheckoutControllerWebMvcTests {

    @Autowired
    private MockMvc mvc;

    @Autowired
    private PosthogRecorder posthog;

    @Test
    void whenNewCheckoutIsOnShouldServeItAndCaptureTheViewWithTheFlags() throws Exception {
        posthog.flags().set("new-checkout", true).set("button-color", "green", "{\"hex\": \"#2da44e\"}");

        mvc.perform(get("/api/checkout").param("user", "alice"))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.checkout").value("new"))
            .andExpect(jsonPath("$.buttonColor").value("green"))
            .andExpect(jsonPath("$.buttonStyle").value("{\"hex\": \"#2da44e\"}"));

        assertThat(posthog).hasCaptured("checkout viewed")
            .forDistinctId("alice")
            .withProperty("checkout", "new")
            .withProperty("$feature/new-checkout", true)
            .withProperty("$feature/button-color", "green")
            .withProperty("$active_feature_flags", List.of("button-color", "new-checkout"))
            .once();
        assertThat(posthog).hasCapturedEvents(1);
        assertThat(posthog).hasCalledFlag("new-checkout")
            .forDistinctId("alice")
            .through("evaluateFlags.isEnabled")
            .once();
        assertThat(posthog).hasCalledFlag("button-color").through("evaluateFlags.getFlag").once();
    }

    @Test
    void whenNewCheckoutIsOffForOneUserShouldServeTheClassicOne() throws Exception {
        posthog.flags().set("new-checkout", true).setFor("bob", "new-checkout", false);

        mvc.perform(get("/api/checkout").param("user", "bob"))
            .andExpect(jsonPath("$.checkout").value("classic"))
            .andExpect(jsonPath("$.buttonColor").doesNotExist());

        assertThat(posthog).hasCaptured("checkout viewed")
            .forDistinctId("bob")
            .withProperty("checkout", "classic")
            .withProperty("$feature/new-checkout", false)
            .withoutProperty("$feature/button-color")
            .once();
        assertThat(posthog).hasCalledFlag("new-checkout").answered(false).once();
    }

}
