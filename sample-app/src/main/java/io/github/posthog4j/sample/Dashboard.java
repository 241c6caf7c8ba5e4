package io.github.posthog4j.sample;

import io.github.posthog4j.autoconfigure.PosthogLifecycle;
import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogClientStatus;
import io.github.posthog4j.client.PosthogFlagsStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * What the dashboard shows and does: samples the client's status once a second (queue
 * depth and sent per second for the chart), captures bursts, plays outages of the
 * embedded sink while simulated traffic keeps capturing, and restarts the client's
 * delivery engine. Reads the client through its public API only.
 */
@Component
public class Dashboard implements DisposableBean {

    /** Seconds of history the chart shows. */
    static final int HISTORY_SECONDS = 180;

    /** Events per second the simulated shoppers capture during an outage. */
    static final int OUTAGE_TRAFFIC_PER_SECOND = 200;

    private static final String[] EVENTS = { "page viewed", "product viewed", "added to cart", "order placed" };

    private final PosthogClient posthog;

    private final LocalSink sink;

    private final ObjectProvider<PosthogLifecycle> lifecycle;

    private final Deque<Map<String, Object>> history = new ArrayDeque<>();

    private final ExecutorService drills = Executors.newSingleThreadExecutor((r) -> {
        Thread t = new Thread(r, "dashboard-drill");
        t.setDaemon(true);
        return t;
    });

    private final AtomicBoolean drilling = new AtomicBoolean();

    private long lastSent = -1;

    private volatile @Nullable Map<String, Object> lastBurst;

    private volatile @Nullable Map<String, Object> lastOutage;

    public Dashboard(PosthogClient posthog, LocalSink sink, ObjectProvider<PosthogLifecycle> lifecycle) {
        this.posthog = posthog;
        this.sink = sink;
        this.lifecycle = lifecycle;
    }

    private @Nullable ManagedPosthogClient managed() {
        return (posthog instanceof ManagedPosthogClient m) ? m : null;
    }

    @Scheduled(fixedRate = 1000)
    void sample() {
        ManagedPosthogClient client = managed();
        if (client == null) {
            return;
        }
        PosthogClientStatus s = client.status();
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("t", System.currentTimeMillis());
        point.put("queue", s.queueSize());
        point.put("sentPerSecond", (lastSent < 0) ? 0 : Math.max(0, s.sent() - lastSent));
        lastSent = s.sent();
        synchronized (history) {
            history.addLast(point);
            while (history.size() > HISTORY_SECONDS) {
                history.removeFirst();
            }
        }
    }

    List<Map<String, Object>> history() {
        synchronized (history) {
            return new ArrayList<>(history);
        }
    }

    Map<String, @Nullable Object> status() {
        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        ManagedPosthogClient client = managed();
        body.put("enabled", client != null);
        if (client != null) {
            PosthogClientStatus s = client.status();
            Map<String, @Nullable Object> c = new LinkedHashMap<>();
            c.put("running", s.running());
            c.put("captured", s.captured());
            c.put("sent", s.sent());
            c.put("dropped", s.droppedTotal());
            Map<String, Long> byReason = new LinkedHashMap<>();
            for (DropReason reason : DropReason.values()) {
                byReason.put(reason.tag(), s.dropped().getOrDefault(reason, 0L));
            }
            c.put("droppedByReason", byReason);
            c.put("queue", s.queueSize());
            c.put("queueCapacity", s.queueCapacity());
            c.put("consumers", s.consumersActive());
            c.put("restarts", s.consumerRestarts());
            c.put("retries", s.retries());
            c.put("backingOff", s.backingOff());
            c.put("lastError", s.lastError());
            body.put("client", c);
            PosthogFlagsStatus f = client.flagsStatus();
            Map<String, @Nullable Object> flags = new LinkedHashMap<>();
            flags.put("local", f.localEvaluations());
            flags.put("remote", f.remoteEvaluations());
            flags.put("fallback", f.fallbackEvaluations());
            flags.put("failed", f.failedEvaluations());
            flags.put("definitionsLoaded", f.definitionsLoaded());
            flags.put("flagCount", f.flagCount());
            flags.put("definitionsAgeSeconds", (f.definitionsAge() != null) ? f.definitionsAge().toSeconds() : null);
            body.put("flags", flags);
        }
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("received", sink.received());
        k.put("delivered", sink.unique());
        k.put("duplicates", sink.duplicates());
        k.put("down", sink.isDown());
        k.put("downForMillis", sink.downFor().toMillis());
        body.put("sink", k);
        body.put("burst", lastBurst);
        body.put("outage", lastOutage);
        return body;
    }

    /**
     * Captures events on the calling thread, as fast as it can: the client never blocks.
     * @param count how many
     * @return what happened
     */
    Map<String, Object> burst(int count) {
        long started = System.nanoTime();
        int accepted = 0;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < count; i++) {
            if (shop(random, i) != null) {
                accepted++;
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("requested", count);
        result.put("accepted", accepted);
        result.put("captureMillis", Duration.ofNanos(System.nanoTime() - started).toMillis());
        result.put("at", Instant.now().toString());
        lastBurst = Collections.unmodifiableMap(result);
        return result;
    }

    private @Nullable String shop(ThreadLocalRandom random, int i) {
        String event = EVENTS[random.nextInt(EVENTS.length)];
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("source", "dashboard");
        properties.put("seq", i);
        if ("order placed".equals(event)) {
            properties.put("total", random.nextInt(5, 500));
        }
        return posthog.capture("shopper-" + random.nextInt(100), event, properties);
    }

    /**
     * Makes the embedded sink answer 503 for a while, with simulated shoppers capturing
     * {@value #OUTAGE_TRAFFIC_PER_SECOND} events a second meanwhile, then measures how
     * long the queue takes to drain once the sink is back.
     * @param duration how long PostHog is down
     * @return whether the drill started (false while another one runs)
     */
    boolean outage(Duration duration) {
        if (!drilling.compareAndSet(false, true)) {
            return false;
        }
        long seconds = duration.toSeconds();
        publishOutage("down", seconds, 0, 0, null, null);
        sink.down(duration);
        drills.execute(() -> {
            try {
                runOutage(duration);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            finally {
                drilling.set(false);
            }
        });
        return true;
    }

    private void runOutage(Duration duration) throws InterruptedException {
        long seconds = duration.toSeconds();
        ManagedPosthogClient client = managed();
        long droppedBefore = (client != null) ? client.status().droppedTotal() : 0;
        long end = System.nanoTime() + duration.toNanos();
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / OUTAGE_TRAFFIC_PER_SECOND;
        long next = System.nanoTime();
        int captured = 0;
        int peak = 0;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (System.nanoTime() < end) {
            if (shop(random, captured) != null) {
                captured++;
            }
            if (client != null && (captured % 20) == 0) {
                peak = Math.max(peak, client.status().queueSize());
                publishOutage("down", seconds, captured, peak, null, null);
            }
            next += intervalNanos;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
        }
        long back = System.nanoTime();
        publishOutage("draining", seconds, captured, peak, null, null);
        if (client == null) {
            return;
        }
        // Drained: nothing queued, and the sink holds every event the client captured
        // (when sending to real PostHog the sink receives nothing: the queue tells).
        long deadline = back + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            PosthogClientStatus s = client.status();
            peak = Math.max(peak, s.queueSize());
            boolean delivered = sink.received() == 0 || sink.unique() >= s.captured() - s.droppedTotal();
            if (s.queueSize() == 0 && delivered) {
                break;
            }
            Thread.sleep(20);
        }
        publishOutage("drained", seconds, captured, peak, Duration.ofNanos(System.nanoTime() - back).toMillis(),
                client.status().droppedTotal() - droppedBefore);
    }

    /** Publishes a new, never mutated, description of the outage drill. */
    private void publishOutage(String state, long seconds, int capturedWhileDown, int peakQueue,
            @Nullable Long drainMillis, @Nullable Long droppedDuringOutage) {
        Map<String, Object> outage = new LinkedHashMap<>();
        outage.put("state", state);
        outage.put("seconds", seconds);
        outage.put("capturedWhileDown", capturedWhileDown);
        outage.put("peakQueue", peakQueue);
        if (drainMillis != null) {
            outage.put("drainMillis", drainMillis);
            outage.put("droppedDuringOutage", droppedDuringOutage);
        }
        lastOutage = Collections.unmodifiableMap(outage);
    }

    /**
     * Stops and starts the client's delivery engine through the context's lifecycle bean
     * (as {@code context.stop()/start()}, a CRaC checkpoint or Spring's pause/restart
     * would): the consumers end and new ones start, the queue is kept.
     * @return the restart count afterwards
     */
    long restart() {
        ManagedPosthogClient client = managed();
        if (client == null) {
            return 0;
        }
        PosthogLifecycle bridge = lifecycle.getIfAvailable();
        if (bridge != null) {
            bridge.stop();
            bridge.start();
        }
        else {
            client.stop();
            client.start();
        }
        return client.status().consumerRestarts();
    }

    @Override
    public void destroy() {
        drills.shutdownNow();
    }

}
