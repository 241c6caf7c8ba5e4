package io.github.posthog4j.autoconfigure.metrics;

import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClientListener;
import io.github.posthog4j.client.PosthogClientStatus;
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
 * {@code posthog.consumer.restarts}, all read from the client's status, once per delivery
 * pipeline with the tag {@code pipeline} ({@code events}; {@code ai} from the first AI
 * capture, when the client creates that pipeline); and the timer {@code posthog.requests}
 * (tags {@code endpoint}, {@code outcome}, {@code status}, {@code pipeline}) fed by a
 * {@link PosthogClientListener}.
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
        PipelineMeters pipelines = new PipelineMeters(registry);
        client.addListener(pipelines);
        for (String pipeline : client.pipelineStatus().keySet()) {
            pipelines.onPipelineCreated(pipeline);
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

    /**
     * Registers the meters of each pipeline once: those that exist at bind time, and
     * those the client creates later.
     */
    private final class PipelineMeters implements PosthogClientListener {

        private final MeterRegistry registry;

        private final java.util.Set<String> bound = java.util.concurrent.ConcurrentHashMap.newKeySet();

        PipelineMeters(MeterRegistry registry) {
            this.registry = registry;
        }

        @Override
        public void onPipelineCreated(String pipeline) {
            if (this.bound.add(pipeline)) {
                bindPipeline(this.registry, pipeline);
            }
        }

    }

    private void bindPipeline(MeterRegistry registry, String pipeline) {
        java.util.function.Function<ManagedPosthogClient, PosthogClientStatus> status = RequestReport.EVENTS
            .equals(pipeline) ? ManagedPosthogClient::status : (c) -> c.pipelineStatus().get(pipeline);
        gauge(registry, pipeline, "posthog.queue.size", "Events waiting to be sent",
                read(status, PosthogClientStatus::queueSize));
        gauge(registry, pipeline, "posthog.queue.capacity", "Capacity of the event queue",
                read(status, PosthogClientStatus::queueCapacity));
        gauge(registry, pipeline, "posthog.consumers.active", "Consumer threads alive",
                read(status, PosthogClientStatus::consumersActive));
        counter(registry, pipeline, "posthog.events.captured", "Events accepted into the queue",
                read(status, PosthogClientStatus::captured));
        counter(registry, pipeline, "posthog.events.sent", "Events acknowledged by PostHog",
                read(status, PosthogClientStatus::sent));
        counter(registry, pipeline, "posthog.retries", "Request attempts that were retries",
                read(status, PosthogClientStatus::retries));
        counter(registry, pipeline, "posthog.consumer.restarts", "Restarts of the delivery engine",
                read(status, PosthogClientStatus::consumerRestarts));
        for (DropReason reason : DropReason.values()) {
            FunctionCounter
                .builder("posthog.events.dropped", client, read(status, (s) -> s.dropped().getOrDefault(reason, 0L)))
                .description("Events dropped, by reason")
                .tag("reason", reason.tag())
                .tag("pipeline", pipeline)
                .register(registry);
        }
    }

    private static ToDoubleFunction<ManagedPosthogClient> read(
            java.util.function.Function<ManagedPosthogClient, PosthogClientStatus> status,
            java.util.function.ToDoubleFunction<PosthogClientStatus> value) {
        return (c) -> {
            PosthogClientStatus s = status.apply(c);
            return (s != null) ? value.applyAsDouble(s) : 0;
        };
    }

    private void gauge(MeterRegistry registry, String pipeline, String name, String description,
            ToDoubleFunction<ManagedPosthogClient> f) {
        Gauge.builder(name, client, f).description(description).tag("pipeline", pipeline).register(registry);
    }

    private void counter(MeterRegistry registry, String pipeline, String name, String description,
            ToDoubleFunction<ManagedPosthogClient> f) {
        FunctionCounter.builder(name, client, f).description(description).tag("pipeline", pipeline).register(registry);
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
                .tag("pipeline", report.pipeline())
                .register(registry)
                .record(report.duration());
        }

    }

}
