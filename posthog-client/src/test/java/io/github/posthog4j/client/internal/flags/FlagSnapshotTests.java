package io.github.posthog4j.client.internal.flags;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.github.posthog4j.client.FeatureFlagResult;
import io.github.posthog4j.client.FlagSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The snapshot reports reads of values, never reads of payloads, keys or values(). */
class FlagSnapshotTests {

    private final List<FlagCall> reads = new ArrayList<>();

    private final RemoteMeta meta = new RemoteMeta("req-1", 1L, false, false);

    /** A flag evaluated locally to false. */
    static EvaluatedFlag off(String key) {
        return new EvaluatedFlag(new FeatureFlagResult(key, false, null, null, "no_condition_match", true), null, true,
                null);
    }

    private FlagSnapshot snapshot(boolean sendEvents, String error) {
        Map<String, EvaluatedFlag> flags = new LinkedHashMap<>();
        flags.put("local-off", off("local-off"));
        flags.put("remote-variant",
                EvaluatedFlag.remote(
                        new RemoteFlag("remote-variant", true, "b", IntNode.valueOf(7), "matched", 9L, 1, null),
                        this.meta, FlagSource.REMOTE));
        return new FlagSnapshot("u1", flags, Map.of("company", "acme"), sendEvents, Boolean.TRUE, this.meta, error,
                this.reads::add);
    }

    @Test
    void whenValuesAreReadShouldReportEachReadWithItsMetadata() {
        FlagSnapshot s = snapshot(true, null);

        assertThat(s.isEnabled("local-off")).isFalse();
        assertThat(s.getFlag("remote-variant")).isEqualTo("b");
        assertThat(s.isEnabled("unknown")).isFalse();

        assertThat(this.reads).extracting(FlagCall::key).containsExactly("local-off", "remote-variant", "unknown");
        assertThat(this.reads.get(0).meta()).isNull(); // local: no request metadata
        assertThat(this.reads.get(1).meta()).isEqualTo(this.meta);
        assertThat(this.reads.get(1).error()).isNull();
        assertThat(this.reads.get(2).flag()).isNull();
        assertThat(this.reads.get(2).error()).isEqualTo("flag_missing");
        assertThat(this.reads).allSatisfy(call -> {
            assertThat(call.distinctId()).isEqualTo("u1");
            assertThat(call.groups()).isEqualTo(Map.of("company", "acme"));
            assertThat(call.disableGeoip()).isTrue();
        });
    }

    @Test
    void whenEvaluationHadAnErrorShouldReportItWithMissingFlags() {
        FlagSnapshot s = snapshot(true, "errors_while_computing_flags");

        s.getFlag("remote-variant");
        s.getFlag("unknown");

        assertThat(this.reads).extracting(FlagCall::error)
            .containsExactly("errors_while_computing_flags", "errors_while_computing_flags,flag_missing");
    }

    @Test
    void whenPayloadsKeysOrValuesAreReadShouldReportNothing() {
        FlagSnapshot s = snapshot(true, null);

        assertThat(s.getFlagPayload("remote-variant")).isEqualTo("7");
        assertThat(s.getResult("remote-variant").variant()).isEqualTo("b");
        assertThat(s.keys()).containsExactly("local-off", "remote-variant");
        assertThat(s.values()).containsExactly(Map.entry("local-off", false), Map.entry("remote-variant", "b"));
        assertThat(s.getFlag(null)).isNull();

        assertThat(this.reads).isEmpty();
    }

    @Test
    void whenEventsAreOffShouldReportNothing() {
        FlagSnapshot s = snapshot(false, null);

        assertThat(s.isEnabled("remote-variant")).isTrue();

        assertThat(this.reads).isEmpty();
    }

    @Test
    void whenEmptyShouldReadAsUnknownAndReportNothing() {
        FlagSnapshot s = FlagSnapshot.empty("u1");

        assertThat(s.isEnabled("beta")).isFalse();
        assertThat(s.values()).isEmpty();
        assertThat(s.distinctId()).isEqualTo("u1");
    }

}
