package io.github.posthog4j.test.shop;

import static io.github.posthog4j.test.PosthogAssertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.github.posthog4j.test.AutoConfigurePosthog;
import io.github.posthog4j.test.PosthogRecorder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.web.servlet.MockMvc;

/**
 * {@link AutoConfigurePosthog} in a {@code @WebMvcTest} slice, which on its own leaves
 * the PostHog auto-configuration out: the controller gets the recording client.
 */
@WebMvcTest(ShopApplication.ShopController.class)
@AutoConfigurePosthog
class PosthogRecorderWebMvcTests {

    @Autowired
    private MockMvc mvc;

    @Autowired
    private PosthogRecorder posthog;

    @Test
    void whenOrderPlacedShouldCaptureItForTheUserWithTheFlagDrivenCheckout() throws Exception {
        posthog.flags().set("new-checkout", true).setFor("u2", "new-checkout", false);
        mvc.perform(post("/orders").param("user", "u1").param("total", "42"))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.checkout").value("new"));
        mvc.perform(post("/orders").param("user", "u2").param("total", "7"))
            .andExpect(jsonPath("$.checkout").value("classic"));

        assertThat(posthog).hasCaptured("order placed").times(2);
        assertThat(posthog).hasCaptured("order placed").forDistinctId("u1").withProperty("total", 42L).once();
        assertThat(posthog).hasCaptured("order placed").forDistinctId("u2").withProperty("checkout", "classic").once();
        assertThat(posthog).hasCalledFlag("new-checkout").forDistinctId("u2").answered(false).once();
    }

    @Test
    void whenPageUsesAFlagSnapshotShouldAttachItAndRecordTheReads() throws Exception {
        posthog.flags().set("button-color", "green", "{\"hex\": \"#2da44e\"}");
        mvc.perform(get("/page").param("user", "u1"))
            .andExpect(jsonPath("$.color").value("green"))
            .andExpect(jsonPath("$.style").value("{\"hex\": \"#2da44e\"}"));
        assertThat(posthog).hasCaptured("page viewed").withProperty("$feature/button-color", "green").once();
        assertThat(posthog).hasCalledFlag("button-color").through("evaluateFlags.getFlag").forDistinctId("u1").once();
    }

    @Test
    void whenTheControllerFailsShouldShowTheCapturedException() throws Exception {
        try {
            mvc.perform(post("/fail").param("user", "u1"));
        }
        catch (Exception expected) {
            // MockMvc rethrows what the controller threw
        }
        assertThat(posthog).hasCapturedException()
            .forDistinctId("u1")
            .ofType(IllegalStateException.class)
            .withMessage("payment declined")
            .withCauseOfType(java.io.IOException.class)
            .once();
    }

}
