package io.github.posthog4j.client.internal.flags;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.FeatureFlagResult;
import io.github.posthog4j.client.FlagSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code $feature_flag_called}: once per combination, documented properties, bounded
 * memory.
 */
class FlagCalledReporterTests {

    private final List<CaptureOptions> captured = new ArrayList<>();

    private final FlagCalledReporter reporter = new FlagCalledReporter(options -> {
        this.captured.add(options);
        return "uuid";
    }, 2);

    private static EvaluatedFlag localOn(String key) {
        return new EvaluatedFlag(new FeatureFlagResult(key, true, null, null, "condition_match", true), null, true,
                null);
    }

    private static FlagCall call(String distinctId, String key, EvaluatedFlag flag, Map<String, String> groups) {
        return new FlagCall(distinctId, key, flag, null, null, groups, null);
    }

    @Test
    void whenSameCombinationIsReadAgainShouldCaptureOnce() {
        Map<String, String> groups = new LinkedHashMap<>();
        groups.put("company", "acme");
        groups.put("project", "p1");
        Map<String, String> reordered = new LinkedHashMap<>();
        reordered.put("project", "p1");
        reordered.put("company", "acme");

        this.reporter.report(call("u1", "beta", localOn("beta"), groups));
        this.reporter.report(call("u1", "beta", localOn("beta"), reordered));

        assertThat(this.captured).hasSize(1);
        CaptureOptions event = this.captured.get(0);
        assertThat(event.event()).isEqualTo("$feature_flag_called");
        assertThat(event.distinctId()).isEqualTo("u1");
        assertThat(event.groups()).isEqualTo(groups);
        assertThat(event.properties()).containsEntry("$feature_flag", "beta")
            .containsEntry("$feature_flag_response", true)
            .containsEntry("$feature/beta", true)
            .containsEntry("locally_evaluated", true)
            .doesNotContainKeys("$feature_flag_request_id", "$feature_flag_error", "$feature_flag_reason");
    }

    @Test
    void whenValueOrPersonChangesShouldCaptureAgain() {
        this.reporter.report(call("u1", "beta", localOn("beta"), Map.of()));
        this.reporter.report(call("u1", "beta", null, Map.of()));
        this.reporter.report(call("u2", "beta", localOn("beta"), Map.of()));

        assertThat(this.captured).hasSize(3);
        assertThat(this.captured.get(1).properties()).containsEntry("locally_evaluated", false)
            .containsEntry("$feature_flag_response", null);
    }

    @Test
    void whenCapacityIsReachedShouldForgetTheLeastRecentlyUsedOnly() {
        this.reporter.report(call("u1", "a", localOn("a"), Map.of()));
        this.reporter.report(call("u1", "b", localOn("b"), Map.of()));
        this.reporter.report(call("u1", "a", localOn("a"), Map.of())); // a used again
        this.reporter.report(call("u1", "c", localOn("c"), Map.of())); // b forgotten

        assertThat(this.reporter.trackedCalls()).isEqualTo(2);
        this.reporter.report(call("u1", "a", localOn("a"), Map.of()));
        this.reporter.report(call("u1", "c", localOn("c"), Map.of()));
        assertThat(this.captured).hasSize(3);
        this.reporter.report(call("u1", "b", localOn("b"), Map.of()));
        assertThat(this.captured).hasSize(4);
    }

    @Test
    void whenClearedShouldCaptureAgain() {
        this.reporter.report(call("u1", "beta", localOn("beta"), Map.of()));
        this.reporter.clear();
        assertThat(this.reporter.trackedCalls()).isZero();

        this.reporter.report(call("u1", "beta", localOn("beta"), Map.of()));

        assertThat(this.captured).hasSize(2);
    }

    @Test
    void whenRemoteFlagIsReadShouldCarryItsMetadataAndError() {
        RemoteFlag remote = new RemoteFlag("exp", true, "test", TextNode.valueOf("hi"), "Matched condition set 1", 42L,
                3, null);
        RemoteMeta meta = new RemoteMeta("req-1", 1700000000000L, true, false);

        this.reporter.report(new FlagCall("u1", "exp", EvaluatedFlag.remote(remote, meta, FlagSource.REMOTE), meta,
                "errors_while_computing_flags", Map.of(), true));

        CaptureOptions event = this.captured.get(0);
        assertThat(event.disableGeoip()).isTrue();
        assertThat(event.properties()).containsEntry("$feature_flag_response", "test")
            .containsEntry("locally_evaluated", false)
            .containsEntry("$feature_flag_payload", TextNode.valueOf("hi"))
            .containsEntry("$feature_flag_request_id", "req-1")
            .containsEntry("$feature_flag_evaluated_at", 1700000000000L)
            .containsEntry("$feature_flag_reason", "Matched condition set 1")
            .containsEntry("$feature_flag_version", 3)
            .containsEntry("$feature_flag_id", 42L)
            .containsEntry("$feature_flag_error", "errors_while_computing_flags");
    }

    @Test
    void whenCaptureFailsShouldNotThrow() {
        FlagCalledReporter failing = new FlagCalledReporter((options, allowlist) -> {
            throw new IllegalStateException("queue gone");
        });

        failing.report(call("u1", "beta", localOn("beta"), Map.of()));

        assertThat(failing.trackedCalls()).isEqualTo(1);
    }

}
