package io.github.posthog4j.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventSerializerTests {

    private final EventSerializer serializer = new EventSerializer();

    @Test
    void whenFormattingMillisShouldMatchTheInstantEverywhere() {
        SplittableRandom random = new SplittableRandom(42);
        long[] fixed = { 0, 1, 999, 1000, 1_735_787_045_006L, -1, -1000, -1001, 253_402_300_799_999L };
        for (long millis : fixed) {
            assertThat(Instant.parse(serializer.formatMillis(millis))).isEqualTo(Instant.ofEpochMilli(millis));
        }
        long millis = 1_700_000_000_000L;
        for (int i = 0; i < 10_000; i++) {
            millis += random.nextLong(0, 5_000); // mostly same-second neighbours:
                                                 // exercises the cache
            String text = serializer.formatMillis(millis);
            assertThat(text).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
            assertThat(Instant.parse(text)).isEqualTo(Instant.ofEpochMilli(millis));
        }
    }

}
