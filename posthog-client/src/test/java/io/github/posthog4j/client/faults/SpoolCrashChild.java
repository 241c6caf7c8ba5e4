package io.github.posthog4j.client.faults;

import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.internal.DefaultPosthogClient;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The process that gets killed: captures events with the spool on, records every uuid it
 * was given, says {@code SPOOLED} once all of them are on disk, then keeps delivering
 * until SIGKILL. Arguments: spool directory, host, event count, uuid file.
 */
public final class SpoolCrashChild {

    private SpoolCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path spool = Path.of(args[0]);
        String host = args[1];
        int count = Integer.parseInt(args[2]);
        Path uuidFile = Path.of(args[3]);
        ManagedPosthogClient client = PosthogClient.builder("phc_crash")
            .host(host)
            .spool(spool)
            .maxQueueSize(count)
            .flushAt(100)
            .flushInterval(Duration.ofMillis(20))
            .spoolSyncInterval(Duration.ofMillis(20))
            .build();
        try (BufferedWriter out = Files.newBufferedWriter(uuidFile, StandardCharsets.US_ASCII)) {
            for (int i = 0; i < count; i++) {
                String uuid = client.capture("user-" + (i % 997), "crash test", Map.of("i", i, "plan", "pro"));
                if (uuid == null) {
                    throw new IllegalStateException("capture " + i + " was dropped: " + client.status());
                }
                out.write(uuid);
                out.write('\n');
            }
        }
        if (!((DefaultPosthogClient) client).awaitSpooled(Duration.ofMinutes(1))) {
            throw new IllegalStateException("events did not reach the spool: " + client.status());
        }
        System.out.println("SPOOLED " + count);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // deliver until killed
    }

}
