package io.github.posthog4j.sample;

import static io.github.posthog4j.test.PosthogAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.test.AutoConfigurePosthog;
import io.github.posthog4j.test.PosthogRecorder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * The whole sample app ({@code @SpringBootTest}, mock web environment) with the test kit:
 * the real client pipeline (super properties from {@code application.yml}) records what
 * the endpoints capture instead of sending it.
 */
@SpringBootTest
@AutoConfigurePosthog
class EventsControllerTests {

    @Autowired
    private WebApplicationContext context;

    @Autowired
    private PosthogRecorder posthog;

    private MockMvc mvc;

    @BeforeEach
    void setUp() {
        mvc = MockMvcBuilders.webAppContextSetup(context).build();
    }

    @Test
    void whenEventPostedShouldCaptureItForTheUserWithItsAndTheSuperProperties() throws Exception {
        mvc.perform(post("/api/events").contentType(MediaType.APPLICATION_JSON)
            .content("{\"distinctId\":\"user-1\",\"event\":\"signed up\",\"properties\":{\"plan\":\"pro\"}}"))
            .andExpect(status().isAccepted())
            .andExpect(jsonPath("$.uuid").isNotEmpty());

        assertThat(posthog).hasCaptured("signed up")
            .forDistinctId("user-1")
            .withProperty("plan", "pro")
            .withProperty("app", "posthog-sample")
            .once();
    }

    @Test
    void whenIdentifyAliasAndGroupPostedShouldCaptureTheirEvents() throws Exception {
        mvc.perform(post("/api/identify").contentType(MediaType.APPLICATION_JSON)
            .content("{\"distinctId\":\"user-2\",\"set\":{\"email\":\"u2@example.com\"}}"));
        mvc.perform(post("/api/alias").contentType(MediaType.APPLICATION_JSON)
            .content("{\"distinctId\":\"user-2\",\"alias\":\"anon-2\"}"));
        mvc.perform(post("/api/groups").contentType(MediaType.APPLICATION_JSON)
            .content("{\"groupType\":\"company\",\"groupKey\":\"acme\",\"properties\":{\"seats\":5}}"));

        assertThat(posthog).hasCaptured("$identify")
            .forDistinctId("user-2")
            .withProperty("$set", java.util.Map.of("email", "u2@example.com"))
            .once();
        assertThat(posthog).hasCaptured("$create_alias").withProperty("alias", "anon-2").once();
        assertThat(posthog).hasCaptured("$groupidentify").withProperty("$group_key", "acme").once();
    }

    @Test
    void whenTheDashboardCapturesABurstShouldRecordEveryEvent() throws Exception {
        ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
        long sent = client.status().sent();
        mvc.perform(post("/api/dashboard/burst").param("count", "500"))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.accepted").value(500));
        assertThat(posthog.events()).hasSize(500).allSatisfy((e) -> {
            assertThat(e.distinctId()).startsWith("shopper-");
            assertThat(e.property("source")).isEqualTo("dashboard");
        });
        assertThat(posthog).hasCaptured("order placed").withProperty("total");
        assertThat(client.status().sent() - sent).isEqualTo(500);
        assertThat(client.status().droppedTotal()).isZero();
    }

}
