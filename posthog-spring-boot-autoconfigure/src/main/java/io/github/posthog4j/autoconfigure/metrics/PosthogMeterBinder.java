package io.github.posthog4j.autoconfigure.metrics;

import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClientListener;
import io.github.posthog4j.client.RequestReport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * Binds the client's metrics: gauges {@code posthog.queue.size},
 * {@code posthog.queue.capacity}, {@code posthog.consumers.active}; function counters
 * {@code posthog.events.captured}, {@code posthog.events.sent},
 * {@code posthog.events.dropped} (tag {@code reason}), {@code posthog.retries},
 * {@code posthog.consumer.restarts}, all read from {@link ManagedPosthogClient#status()};
 * and the timer {@code posthog.requests} (tags {@code endpoint}, {@code outcome},
 * {@code status}) fed by a {@link PosthogClientListener}.
 */
public final class PosthogMeterBinder implements MeterBinder {

    private final ManagedPosthogClient client;

    /**
     * Creates the binder.
     * @param client the client to measure
     */
    public PosthogMeterBinder(ManagedPosthogClient client) {
        this.client = client;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "posthog.queue.size", "Events waiting to be sent", (c) -> c.status().queueSize());
        gauge(registry, "posthog.queue.capacity", "Capacity of the event queue", (c) -> c.status().queueCapacity());
        gauge(registry, "posthog.consumers.active", "Consumer threads alive", (c) -> c.status().consumersActive());
        counter(registry, "posthog.events.captured", "Events accepted into the queue", (c) -> c.status().captured());
        counter(registry, "posthog.events.sent", "Events acknowledged by PostHog", (c) -> c.status().sent());
        counter(registry, "posthog.retries", "Request attempts that were retries", (c) -> c.status().retries());
        counter(registry, "posthog.consumer.restarts", "Restarts of the delivery engine",
                (c) -> c.status().consumerRestarts());
        for (DropReason reason : DropReason.values()) {
            FunctionCounter
                .builder("posthog.events.dropped", client, (c) -> c.status().dropped().getOrDefault(reason, 0L))
                .description("Events dropped, by reason")
                .tag("reason", reason.tag())
                .register(registry);
        }
        flagCounter(registry, "local", (c) -> c.flagsStatus().localEvaluations());
        flagCounter(registry, "remote", (c) -> c.flagsStatus().remoteEvaluations());
        flagCounter(registry, "fallback", (c) -> c.flagsStatus().fallbackEvaluations());
        flagCounter(registry, "cache", (c) -> c.flagsStatus().cacheEvaluations());
        gauge(registry, "posthog.flags.definitions.age",
                "Seconds since PostHog last confirmed the local-evaluation flag definitions (NaN before the first load)",
                (c) -> {
                    java.time.Duration age = c.flagsStatus().definitionsAge();
                    return (age != null) ? age.toMillis() / 1000.0 : Double.NaN;
                });
        client.addListener(new RequestTimer(registry));
    }

    private void flagCounter(MeterRegistry registry, String source, ToDoubleFunction<ManagedPosthogClient> f) {
        FunctionCounter.builder("posthog.flags.evaluations", client, f)
            .description("Feature flag evaluations, by where the answer came from")
            .tag("source", source)
            .register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description,
            ToDoubleFunction<ManagedPosthogClient> f) {
        Gauge.builder(name, client, f).description(description).register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description,
            ToDoubleFunction<ManagedPosthogClient> f) {
        FunctionCounter.builder(name, client, f).description(description).register(registry);
    }

    private static final class RequestTimer implements PosthogClientListener {

        private final MeterRegistry registry;

        RequestTimer(MeterRegistry registry) {
            this.registry = registry;
        }

        @Override
        public void onRequest(RequestReport report) {
            Timer.builder("posthog.requests")
                .description("HTTP requests to PostHog")
                .tag("endpoint", report.endpoint())
                .tag("outcome", report.outcome().tag())
                .tag("status", (report.statusCode() == 0) ? "none" : Integer.toString(report.statusCode()))
                .register(registry)
                .record(report.duration());
        }

    }

}
