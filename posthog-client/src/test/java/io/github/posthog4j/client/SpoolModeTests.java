package io.github.posthog4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posthog4j.testsupport.LogCapture;
import io.github.posthog4j.testsupport.LogCapture.CapturedLog;
import io.github.posthog4j.testsupport.PosthogExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client with its durable spool on: flush, run-time changes. Crashes are in the
 * faults package.
 */
@ExtendWith(LogCapture.class)
class SpoolModeTests {

    @RegisterExtension
    final PosthogExtension posthog = PosthogExtension.create();

    @TempDir
    Path dir;

    @Test
    void whenFlushedWithTheSpoolOnShouldNotWaitForTheFlushInterval() {
        ManagedPosthogClient client = posthog.builder()
            .spool(dir.resolve("spool"))
            .flushInterval(Duration.ofSeconds(30))
            .build();
        for (int attempt = 0; attempt < 5; attempt++) {
            client.capture("u", "flush me " + attempt);
            assertThat(client.flush(Duration.ofSeconds(5))).isEqualTo(1);
        }
        client.close();
    }

    @Test
    void whenSpoolSettingsChangeAtRuntimeShouldWarnAndKeepTheSpoolInUse(CapturedLog output) {
        Path first = dir.resolve("first");
        ManagedPosthogClient client = posthog.builder().spool(first).buildStopped();
        client.reconfigure(posthog.builder().spool(dir.resolve("second")));
        client.capture("u", "still spooled in the first directory");
        client.start();
        client.flush();
        client.close();
        assertThat(output).contains("take effect at the next start").contains(first.toString());
        assertThat(posthog.server().eventCount()).isEqualTo(1);
        assertThat(dir.resolve("second")).doesNotExist();
    }

}
