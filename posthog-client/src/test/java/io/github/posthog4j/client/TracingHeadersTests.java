package io.github.posthog4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sanitising tracing header values (sdk-specs {@code tracing-headers}, server-side
 * consumption step 3): control characters removed, white space trimmed, a length cap,
 * empty results treated as missing.
 */
class TracingHeadersTests {

    @Test
    void controlCharactersAndSurroundingWhiteSpaceAreRemoved() {
        assertThat(TracingHeaders.sanitize("  user-\u0000123\r\n\t ")).isEqualTo("user-123");
        assertThat(TracingHeaders.sanitize("a\u007fb\u0085c")).isEqualTo("abc");
        assertThat(TracingHeaders.sanitize("user 123")).isEqualTo("user 123");
        assertThat(TracingHeaders.sanitize("ümlaut-😀")).isEqualTo("ümlaut-😀");
    }

    @Test
    void emptyOrBlankValuesAreMissing() {
        assertThat(TracingHeaders.sanitize(null)).isNull();
        assertThat(TracingHeaders.sanitize("")).isNull();
        assertThat(TracingHeaders.sanitize(" \t\r\n\u0000 ")).isNull();
    }

    @Test
    void longValuesAreCutWithoutSplittingACharacter() {
        assertThat(TracingHeaders.sanitize("x".repeat(5000))).hasSize(TracingHeaders.MAX_LENGTH);
        String emojiAtTheCut = "x".repeat(TracingHeaders.MAX_LENGTH - 1) + "😀" + "tail";
        String cut = TracingHeaders.sanitize(emojiAtTheCut);
        assertThat(cut).hasSize(TracingHeaders.MAX_LENGTH - 1);
        assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 1))).isFalse();
    }

    @Test
    void theFirstValidValueOfARepeatedHeaderIsUsed() {
        assertThat(TracingHeaders.firstValid(Arrays.asList(null, " ", "\u0000", " second ", "third")))
            .isEqualTo("second");
        assertThat(TracingHeaders.firstValid(List.of())).isNull();
        assertThat(TracingHeaders.firstValid(null)).isNull();
    }

}
