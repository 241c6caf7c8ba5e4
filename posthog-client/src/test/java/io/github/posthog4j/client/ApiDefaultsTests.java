package io.github.posthog4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the public API's default methods and option objects promise. */
class ApiDefaultsTests {

    @Test
    void whenAClientEvaluatesNoFlagsShouldReturnAnEmptySnapshotNotNull() {
        PosthogClient minimal = new PosthogClient() {
            @Override
            public String capture(String distinctId, String event) {
                return null;
            }

            @Override
            public String capture(String distinctId, String event, java.util.Map<String, ?> properties) {
                return null;
            }

            @Override
            public String capture(CaptureOptions options) {
                return null;
            }

            @Override
            public void identify(String distinctId, java.util.Map<String, ?> set, java.util.Map<String, ?> setOnce) {
            }

            @Override
            public void set(String distinctId, java.util.Map<String, ?> properties) {
            }

            @Override
            public void setOnce(String distinctId, java.util.Map<String, ?> properties) {
            }

            @Override
            public void alias(String distinctId, String alias) {
            }

            @Override
            public void groupIdentify(String groupType, String groupKey, java.util.Map<String, ?> properties) {
            }

            @Override
            public void register(String key, Object value) {
            }

            @Override
            public void unregister(String key) {
            }

            @Override
            public int flush() {
                return 0;
            }

            @Override
            public int flush(Duration timeout) {
                return 0;
            }

            @Override
            public void optOut() {
            }

            @Override
            public void optIn() {
            }

            @Override
            public boolean isOptedOut() {
                return false;
            }

            @Override
            public void close() {
            }
        };
        FeatureFlagEvaluations snapshot = minimal.evaluateFlags("u");
        assertThat(snapshot).isNotNull();
        assertThat(snapshot.distinctId()).isEqualTo("u");
        assertThat(snapshot.isEnabled("anything")).isFalse();
        assertThat(snapshot.getFlag("anything")).isNull();
        assertThat(snapshot.values()).isEmpty();
    }

    @Test
    void whenFlagKeysContainNullShouldIgnoreIt() {
        assertThat(FlagOptions.builder().flagKeys("a", null, " ", "b").build().flagKeys()).containsExactly("a", "b");
    }

}
