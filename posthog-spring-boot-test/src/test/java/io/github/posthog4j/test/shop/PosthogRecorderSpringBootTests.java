package io.github.posthog4j.test.shop;

import static io.github.posthog4j.test.PosthogAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.posthog4j.autoconfigure.PosthogLifecycle;
import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.testsupport.PosthogStandIn;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import io.github.posthog4j.test.AutoConfigurePosthog;
import io.github.posthog4j.test.PosthogRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link AutoConfigurePosthog} in a {@code @SpringBootTest} whose configuration disables
 * PostHog and sets no key, pointed at a loopback PostHog that must never be called: the
 * auto-configured client runs its real pipeline (super properties, before-send hook) and
 * the recorder receives the events, with no thread and no request.
 */
@SpringBootTest(properties = { "posthog.enabled=false", "posthog.super-properties.app=shop",
        "spring.main.web-application-type=none" })
@AutoConfigurePosthog
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PosthogRecorderSpringBootTests {

    private static final PosthogStandIn posthog = PosthogStandIn.start();

    @DynamicPropertySource
    static void neverCalledPosthog(DynamicPropertyRegistry registry) {
        registry.add("posthog.host", posthog::url);
    }

    @AfterAll
    static void noRequestWasMade() {
        try {
            assertThat(posthog.requests()).as("requests to PostHog").isEmpty();
        }
        finally {
            posthog.close();
        }
    }

    @Autowired
    private PosthogClient client;

    @Autowired
    private PosthogRecorder recorder;

    @Test
    @Order(1)
    void whenCapturedShouldRecordTheEventAsTheRealPipelineBuiltIt() {
        ShopApplication.ShopController shop = new ShopApplication.ShopController(client);
        recorder.flags().set("new-checkout", true);
        shop.order("u1", 42);

        assertThat(recorder).hasCaptured("order placed")
            .forDistinctId("u1")
            .withProperty("total", 42)
            .withProperty("checkout", "new")
            .withProperty("app", "shop") // super property
            .withProperty("email", "(scrubbed)") // before-send hook
            .once();
        assertThat(recorder).hasCalledFlag("new-checkout").forDistinctId("u1").answered(true).once();
        assertThat(recorder.events()).singleElement().satisfies((e) -> assertThat(e.uuid()).matches("[0-9a-f-]{36}"));
        assertThat(client.flush()).isZero();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch((t) -> t.getName().startsWith("posthog-"));
    }

    @Test
    @Order(2)
    void whenTheNextTestRunsShouldStartFromAnEmptyRecorder() {
        assertThat(recorder).hasCapturedNothing();
        assertThat(recorder.flagCalls()).isEmpty();
        assertThat(client.isFeatureEnabled("new-checkout", "u1")).as("flags are cleared too").isFalse();
    }

    @Test
    @Order(3)
    void whenClientIsManagedShouldStillBeTheAutoConfiguredOneAndReportItsStatus() {
        assertThat(client).isInstanceOf(ManagedPosthogClient.class);
        ManagedPosthogClient managed = (ManagedPosthogClient) client;
        long sent = managed.status().sent();
        long dropped = managed.status().droppedTotal();
        client.capture("u2", "signed up");
        client.capture(null, "personless");
        client.capture("u2", " "); // invalid: dropped by the real pipeline, never
                                   // recorded
        assertThat(managed.status().sent() - sent).isEqualTo(2);
        assertThat(managed.status().droppedTotal() - dropped).isEqualTo(1);
        assertThat(recorder).hasCapturedEvents(2);
        assertThat(recorder).hasCaptured("personless").withProperty("$process_person_profile", false).once();
    }

    @Test
    @Order(4)
    void whenCaptureAsksForFlagsShouldAttachTheFixedValuesWithoutARequest() {
        recorder.flags().set("new-checkout", "variant-b").set("old-banner", false);
        client.capture(CaptureOptions.builder("u3", "checkout viewed").sendFeatureFlags(true).build());
        assertThat(recorder).hasCaptured("checkout viewed")
            .withProperty("$feature/new-checkout", "variant-b")
            .withProperty("$feature/old-banner", false)
            .withProperty("$active_feature_flags", java.util.List.of("new-checkout"))
            .once();
    }

    @Test
    @Order(5)
    void whenFlagsAreReadInEveryWayShouldAnswerFromTheFixedValuesAndRecordEachCall() {
        recorder.flags()
            .set("button-color", "green", "{\"hex\": \"#2da44e\"}")
            .set("beta", true)
            .setFor("u9", "beta", false);
        assertThat(client.getFeatureFlag("button-color", "u1")).isEqualTo("green");
        assertThat(client.getFeatureFlagPayload("button-color", "u1")).isEqualTo("{\"hex\": \"#2da44e\"}");
        assertThat(client.getFeatureFlagPayload("button-color", "u1", "green", FlagOptions.none()))
            .isEqualTo("{\"hex\": \"#2da44e\"}");
        assertThat(client.getFeatureFlagPayload("button-color", "u1", "blue", FlagOptions.none())).isNull();
        assertThat(client.getFeatureFlagResult("button-color", "u1").variant()).isEqualTo("green");
        assertThat(client.isFeatureEnabled("beta", "u1")).isTrue();
        assertThat(client.isFeatureEnabled("beta", "u9")).isFalse();
        assertThat(client.isFeatureEnabled("unknown", "u1", true)).as("default of an unset flag").isTrue();
        assertThat(client.getFeatureFlag("unknown", "u1")).isNull();
        assertThat(client.getAllFlags("u9"))
            .containsExactlyInAnyOrderEntriesOf(Map.of("button-color", "green", "beta", false));
        assertThat(client.getAllFlagsAndPayloads("u1").featureFlagPayloads()).containsOnlyKeys("button-color");
        assertThat(client.evaluateFlags("u1").isEnabled("beta")).isTrue();

        assertThat(recorder).hasCalledFlag("beta").times(3);
        assertThat(recorder).hasCalledFlag("beta").forDistinctId("u9").answered(false).once();
        assertThat(recorder).hasCalledFlag("beta").through("evaluateFlags.isEnabled").once();
        assertThat(recorder).hasCalledFlag("button-color").times(5);
        assertThat(recorder).hasNotCalledFlag("new-checkout");
        assertThat(recorder).hasCapturedNothing(); // no $feature_flag_called events
    }

    @Test
    @Order(6)
    void whenOptedOutShouldRecordNothingAndAnswerFlagDefaultsUntilOptedIn() {
        recorder.flags().set("beta", true);
        client.optOut();
        try {
            assertThat(client.capture("u5", "while opted out")).isNull();
            assertThat(client.isFeatureEnabled("beta", "u5")).isFalse();
            assertThat(client.evaluateFlags("u5").keys()).isEmpty();
        }
        finally {
            client.optIn();
        }
        client.capture("u5", "after opting in");
        assertThat(recorder).hasNotCaptured("while opted out").hasCaptured("after opting in").once();
        assertThat(client.isFeatureEnabled("beta", "u5")).isTrue();
    }

    @Test
    @Order(7)
    @DirtiesContext
    void whenPosthogSettingsChangeAndTheClientRestartsShouldStillRecord(@Autowired ConfigurableEnvironment environment,
            @Autowired PosthogLifecycle lifecycle) {
        ManagedPosthogClient managed = (ManagedPosthogClient) client;
        long restarts = managed.status().consumerRestarts();
        environment.getPropertySources()
            .addFirst(new MapPropertySource("changed", Map.of("posthog.super-properties.app", "shop-v2")));
        lifecycle.settingsChanged(); // what Spring Cloud's refresh of posthog.* triggers
        client.capture("u4", "after the change");
        assertThat(recorder).hasCaptured("after the change").withProperty("app", "shop-v2").once();
        assertThat(managed.status().consumerRestarts()).isEqualTo(restarts);
    }

}
