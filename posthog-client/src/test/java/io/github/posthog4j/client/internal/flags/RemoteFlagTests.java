package io.github.posthog4j.client.internal.flags;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing of {@code /flags} answers (both shapes) and the retry spacing. */
class RemoteFlagTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void whenAnswerIsV2ShouldReadEveryField() throws Exception {
        Map<String, RemoteFlag> flags = RemoteFlag.parseAll(
                json("{'flags': {" + "'a': {'enabled': false, 'variant': 'x', 'reason': {'code': 'condition_match'},"
                        + " 'metadata': {'id': 1, 'version': 2, 'payload': '{\\'k\\': 1}'}},"
                        + "'b': {'enabled': false, 'reason': {'description': 'No match', 'code': 'no_match'},"
                        + " 'metadata': {'payload': 'ignored when off'}}," + "'junk': 5}}"));

        assertThat(flags).containsOnlyKeys("a", "b");
        RemoteFlag a = flags.get("a");
        assertThat(a.enabled()).isTrue(); // a variant counts as on
        assertThat(a.variant()).isEqualTo("x");
        assertThat(a.payload()).isEqualTo(json("{'k': 1}"));
        assertThat(a.reason()).isEqualTo("condition_match");
        assertThat(a.id()).isEqualTo(1L);
        assertThat(a.version()).isEqualTo(2);
        RemoteFlag b = flags.get("b");
        assertThat(b.enabled()).isFalse();
        assertThat(b.payload()).isNull();
        assertThat(b.reason()).isEqualTo("No match");
    }

    @Test
    void whenAnswerIsLegacyShouldReadValuesAndPayloads() throws Exception {
        Map<String, RemoteFlag> flags = RemoteFlag
            .parseAll(json("{'featureFlags': {'on': true, 'v': 'blue', 'off': false},"
                    + " 'featureFlagPayloads': {'on': 'plain text', 'v': '[1, 2]', 'off': '1'}}"));

        assertThat(flags.get("on").payload()).isEqualTo(TextNode.valueOf("plain text"));
        assertThat(flags.get("v").enabled()).isTrue();
        assertThat(flags.get("v").payload()).isEqualTo(json("[1, 2]"));
        assertThat(flags.get("off").payload()).isNull();
    }

    @Test
    void whenRetriesAreSpacedShouldStartAt300MillisAndDouble() {
        assertThat(RemoteFlags.retryDelayMillis(1)).isEqualTo(300);
        assertThat(RemoteFlags.retryDelayMillis(2)).isEqualTo(600);
        assertThat(RemoteFlags.retryDelayMillis(3)).isEqualTo(1200);
    }

}
