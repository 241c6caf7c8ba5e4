package io.github.posthog4j.client.faults;

import io.github.posthog4j.client.LogsConfig;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process that gets killed: captures flat out from {@value #THREADS} threads with the
 * spool on, until SIGKILL. Each thread records every uuid that {@code capture} returned,
 * right after it returned, in a memory-mapped file of its own ({@code uuids-N.txt}, one
 * uuid and a newline per capture): the OS keeps what a killed process wrote to a shared
 * mapping, so the record survives the kill and costs no system call (the capture rate
 * stays flat out). Prints {@code CAPTURING} once both threads had a capture return.
 * Arguments: spool directory, host, directory of the uuid files, spool max bytes, whether
 * to start the delivery engine (false: captures before {@code ApplicationReadyEvent}),
 * and optionally {@code logs}: each thread then captures {@value #LOG_RECORDS} log
 * records instead of events, each with a body of 36 characters of its own
 * ({@link #logBody}), recorded in place of a uuid.
 */
public final class SpoolCrashChild {

    static final int THREADS = 2;

    /** Room for this many uuids per thread (37 bytes each). */
    static final int MAX_UUIDS = 1_500_000;

    /** Log records per thread in logs mode (well within the logs spool of the test). */
    static final int LOG_RECORDS = 100_000;

    /**
     * @param thread the capturing thread
     * @param i the record's number
     * @return the body of a log record: 36 characters, as long as a uuid
     */
    static String logBody(int thread, int i) {
        return String.format("log%d-%031d", thread, i);
    }

    private SpoolCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path spool = Path.of(args[0]);
        String host = args[1];
        Path records = Path.of(args[2]);
        long maxBytes = Long.parseLong(args[3]);
        boolean start = Boolean.parseBoolean(args[4]);
        boolean logs = args.length > 5 && args[5].equals("logs");
        var builder = PosthogClient.builder("phc_crash")
            .host(host)
            .spool(spool)
            .spoolMaxBytes(maxBytes)
            .flushInterval(Duration.ofMillis(50))
            .logs(LogsConfig.builder().rateCapMaxLogs(0).flushInterval(Duration.ofMillis(50)).build());
        ManagedPosthogClient client = start ? builder.build() : builder.buildStopped();
        CountDownLatch started = new CountDownLatch(THREADS);
        AtomicLong refused = new AtomicLong();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            MappedByteBuffer out;
            try (FileChannel ch = FileChannel.open(records.resolve("uuids-" + t + ".txt"), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                out = ch.map(FileChannel.MapMode.READ_WRITE, 0, 37L * MAX_UUIDS);
            }
            Thread capturer = new Thread(() -> {
                Map<String, Object> props = new java.util.HashMap<>();
                props.put("thread", thread);
                props.put("plan", "pro");
                for (int i = 0; logs && i < LOG_RECORDS; i++) {
                    String body = logBody(thread, i);
                    client.captureLog(body);
                    out.put(i * 37, body.getBytes(StandardCharsets.US_ASCII));
                    out.put(i * 37 + 36, (byte) '\n');
                    if (i == 0) {
                        started.countDown();
                    }
                }
                for (int i = 0; !logs && i < MAX_UUIDS;) {
                    props.put("i", i);
                    String uuid = client.capture("user-" + (i % 997), "crash test", props);
                    if (uuid == null) {
                        refused.incrementAndGet(); // spool full: dropped and counted
                        continue;
                    }
                    out.put(i * 37, uuid.getBytes(StandardCharsets.US_ASCII));
                    out.put(i * 37 + 36, (byte) '\n');
                    if (i++ == 0) {
                        started.countDown();
                    }
                }
            }, "capture-" + t);
            capturer.start();
        }
        started.await();
        System.out.println("CAPTURING");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // until killed
    }

}
