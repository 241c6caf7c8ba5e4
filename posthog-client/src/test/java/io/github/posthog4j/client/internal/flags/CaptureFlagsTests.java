package io.github.posthog4j.client.internal.flags;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.FlagOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The flags attached to a capture that asked for them. */
class CaptureFlagsTests {

    private final List<FlagOptions> evaluations = new ArrayList<>();

    private final AtomicBoolean definitionsLoaded = new AtomicBoolean();

    private final CaptureFlags captureFlags = new CaptureFlags((distinctId, options) -> {
        this.evaluations.add(options);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("zeta", true);
        values.put("beta", "variant-b");
        values.put("off", false);
        return values;
    }, this.definitionsLoaded::get);

    @Test
    void whenCaptureAsksForFlagsShouldAddValuesAndSortedActiveFlags() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("$feature/beta", "mine");

        Map<String, Object> out = this.captureFlags
            .enrich(CaptureOptions.builder("u1", "signup").sendFeatureFlags(true).build(), props, true);

        assertThat(out).isSameAs(props)
            .containsEntry("$feature/beta", "mine")
            .containsEntry("$feature/zeta", true)
            .containsEntry("$feature/off", false)
            .containsEntry("$active_feature_flags", List.of("beta", "zeta"));
    }

    @Test
    void whenCaptureAsksForNothingShouldEvaluateNothing() {
        Map<String, Object> out = this.captureFlags.enrich(CaptureOptions.builder("u1", "signup").build(), null, true);

        assertThat(out).isNull();
        assertThat(this.evaluations).isEmpty();
    }

    @Test
    void whenCaptureCarriesASnapshotShouldUseItWithoutEvaluating() {
        FlagSnapshot snapshot = new FlagSnapshot("u1", Map.of("beta", FlagSnapshotTests.off("beta")), Map.of(), false,
                null, null, null, call -> {
                });

        Map<String, Object> values = this.captureFlags
            .values(CaptureOptions.builder("u1", "signup").flags(snapshot).build());

        assertThat(values).containsExactly(Map.entry("beta", false));
        assertThat(this.evaluations).isEmpty();
    }

    @Test
    void whenDefinitionsAreLoadedShouldEvaluateLocallyOnlyWithTheCaptureGroups() {
        this.definitionsLoaded.set(true);

        this.captureFlags.values(CaptureOptions.builder("u1", "signup")
            .group("company", "acme")
            .sendFeatureFlags(FlagOptions.builder().personProperty("plan", "pro").group("project", "p1").build())
            .build());

        assertThat(this.evaluations).hasSize(1);
        FlagOptions used = this.evaluations.get(0);
        assertThat(used.onlyEvaluateLocally()).isTrue();
        assertThat(used.groups()).containsEntry("company", "acme").containsEntry("project", "p1");
        assertThat(used.personProperties()).containsEntry("plan", "pro");
    }

    @Test
    void whenNoDefinitionsAreLoadedShouldAllowPosthogToBeAsked() {
        this.captureFlags.values(CaptureOptions.builder("u1", "signup").sendFeatureFlags(true).build());

        assertThat(this.evaluations).singleElement().satisfies(o -> assertThat(o.onlyEvaluateLocally()).isFalse());
    }

    @Test
    void whenEvaluationFailsShouldKeepThePropertiesAndNotThrow() {
        CaptureFlags failing = new CaptureFlags((distinctId, options) -> {
            throw new IllegalStateException("boom");
        }, () -> false);
        Map<String, Object> props = new LinkedHashMap<>(Map.of("a", 1));

        Map<String, Object> out = failing.enrich(CaptureOptions.builder("u1", "signup").sendFeatureFlags(true).build(),
                props, true);

        assertThat(out).isEqualTo(Map.of("a", 1));
    }

    @Test
    void whenNoFlagValuesShouldLeaveNullPropertiesNull() {
        assertThat(CaptureFlags.addTo(null, Map.of())).isNull();
        assertThat(CaptureFlags.addTo(null, Map.of("beta", true))).containsEntry("$feature/beta", true)
            .containsEntry("$active_feature_flags", List.of("beta"));
    }

}
