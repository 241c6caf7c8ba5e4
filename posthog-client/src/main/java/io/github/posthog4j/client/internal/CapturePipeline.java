package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.BeforeSendHook;
import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.PosthogContext;
import io.github.posthog4j.client.PosthogContextHolder;
import io.github.posthog4j.client.PosthogEvent;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The capture path, on the caller's thread: opt-out, validation, enrichment (uuid v7,
 * timestamp, super properties, person-processing hint, groups, {@code $set}), before-send
 * hooks, then the queue (or, in spool mode, the spool: serialised and appended before
 * {@code capture} returns). Never blocks, never throws, never logs on the caller's thread
 * (warnings go through {@link Drops}), never makes a request: flags a capture asks for
 * that are not known locally are added on the delivery side.
 */
final class CapturePipeline {

    private final Supplier<ClientSettings> settings;

    private final SuperProperties superProperties;

    private final MemoryQueue queue;

    private final Dispatcher dispatcher;

    private final Stats stats;

    private final Drops drops;

    private final BooleanSupplier closed;

    private final CaptureFlags flags;

    private final EventHandOff handOff;

    private volatile boolean optedOut;

    /** Where analytics events go. */
    private final Intake events;

    /** The AI pipeline's intake, created on first use. */
    private final Supplier<Intake> ai;

    /**
     * Where an accepted event goes: a pipeline's queue and dispatcher, and the counters
     * and drops of that pipeline.
     *
     * @param queue the pipeline's queue
     * @param spool the pipeline's durable spool, where its captures go instead of the
     * queue (which then stays empty), or null
     * @param dispatcher the pipeline's dispatcher
     * @param stats the pipeline's counters
     * @param drops the pipeline's drops
     */
    record Intake(MemoryQueue queue, @Nullable SpoolPump spool, Dispatcher dispatcher, Stats stats, Drops drops) {

        static Intake of(DeliveryParts parts) {
            return new Intake(parts.queue(), parts.spool(), parts.dispatcher(), parts.stats(), parts.drops());
        }

    }

    /** How a capture gets the flag properties it asks for. */
    interface CaptureFlags {

        /**
         * Adds flag properties without any request.
         * @param options the capture
         * @param props the event's properties so far, or null
         * @return the properties with the flags, or null when the flags are not known
         * locally (the delivery side adds them)
         */
        @Nullable Map<String, @Nullable Object> enrichLocally(CaptureOptions options,
                @Nullable Map<String, @Nullable Object> props);

    }

    CapturePipeline(Supplier<ClientSettings> settings, SuperProperties superProperties, MemoryQueue queue,
            @Nullable SpoolPump spool, Dispatcher dispatcher, Stats stats, Drops drops, BooleanSupplier closed,
            CaptureFlags flags, Supplier<Intake> ai, java.util.function.BiConsumer<String, String> accepted) {
        this.settings = settings;
        this.superProperties = superProperties;
        this.queue = queue;
        this.dispatcher = dispatcher;
        this.stats = stats;
        this.drops = drops;
        this.closed = closed;
        this.flags = flags;
        this.handOff = new EventHandOff(closed, accepted);
        this.optedOut = settings.get().optOut();
        this.events = new Intake(queue, spool, dispatcher, stats, drops);
        this.ai = ai;
    }

    boolean isOptedOut() {
        return this.optedOut;
    }

    void optedOut(boolean optedOut) {
        this.optedOut = optedOut;
    }

    @Nullable String capture(@Nullable String distinctId, @Nullable String event, @Nullable Map<String, ?> properties) {
        if (this.optedOut) {
            return null;
        }
        if (this.events.spool() != null && properties != null && this.settings.get().beforeSend().isEmpty()
                && !hasContextProperties()) {
            // spool mode serialises before capture returns and nothing may change the
            // map:
            // the caller's own map is read once, on this thread, and never kept
            @SuppressWarnings("unchecked")
            Map<String, @Nullable Object> own = (Map<String, @Nullable Object>) properties;
            return enqueue(event, distinctId, own.isEmpty() ? null : own, null, null, null, true, null, this.events);
        }
        return enqueue(event, distinctId, copy(properties), null, null, null, true, null, this.events);
    }

    private static boolean hasContextProperties() {
        PosthogContext context = PosthogContextHolder.getContext();
        return context != null && !context.eventProperties().isEmpty();
    }

    /**
     * An AI event: the same admission as {@code capture}, delivered by the AI pipeline.
     */
    @Nullable String captureAi(@Nullable String distinctId, @Nullable String event, @Nullable Map<String, ?> properties) {
        if (this.optedOut) {
            return null;
        }
        return enqueue(event, distinctId, copy(properties), null, null, null, true, null, this.ai.get());
    }

    @Nullable String captureAi(@Nullable CaptureOptions options) {
        return capture(options, true, null);
    }

    @Nullable String capture(@Nullable CaptureOptions options) {
        return capture(options, false, null);
    }

    /**
     * Captures an event keeping only allowlisted properties, super properties included
     * (minimal {@code $feature_flag_called} events).
     * @param given the capture
     * @param allowlist the property names kept, or null for all
     * @return the event's uuid, or null when dropped
     */
    @Nullable String capture(@Nullable CaptureOptions given, @Nullable Set<String> allowlist) {
        return capture(given, false, allowlist);
    }

    private @Nullable String capture(@Nullable CaptureOptions given, boolean aiRoute, @Nullable Set<String> allowlist) {
        if (this.optedOut) {
            return null;
        }
        Intake target = aiRoute ? this.ai.get() : this.events;
        if (given == null) {
            return invalid(target.drops(), () -> "capture(null): options are required");
        }
        CaptureOptions options = (given.sendFeatureFlags() && Texts.isBlank(given.distinctId()))
                ? withContextDistinctId(given) : given;
        Map<String, @Nullable Object> props = copy(options.properties());
        CaptureOptions lateFlags = null;
        if (options.sendFeatureFlags() || options.flags() != null) {
            Map<String, @Nullable Object> enriched = this.flags.enrichLocally(options, props);
            if (enriched != null) {
                props = enriched;
            }
            else {
                lateFlags = options;
            }
        }
        if (!options.groups().isEmpty()) {
            props = ensure(props);
            props.put("$groups", new LinkedHashMap<>(options.groups()));
        }
        if (!options.set().isEmpty()) {
            props = ensure(props);
            props.put("$set", new LinkedHashMap<>(options.set()));
        }
        if (!options.setOnce().isEmpty()) {
            props = ensure(props);
            props.put("$set_once", new LinkedHashMap<>(options.setOnce()));
        }
        props = eventOptions(options, props);
        String uuid = options.uuid();
        if (uuid != null && !Uuid7.isCanonical(uuid)) {
            target.drops()
                .warn(DropReason.INVALID, () -> "Event '" + Texts.abbreviate(options.event())
                        + "' has a uuid that is not a canonical UUID; a new one was generated");
            uuid = null;
        }
        if (allowlist != null && props != null) {
            props.keySet().retainAll(allowlist);
        }
        return enqueue(options.event(), options.distinctId(), props, options.timestamp(), uuid, options.disableGeoip(),
                true, lateFlags, target, allowlist);
    }

    /**
     * The event options as the properties capture v0 sends ({@code $cookieless_mode},
     * {@code $ignore_sent_at}, {@code $process_person_profile},
     * {@code $product_tour_id}); capture v1 moves them into the event's {@code options}
     * object ({@link V1Events}).
     */
    private static @Nullable Map<String, @Nullable Object> eventOptions(CaptureOptions options,
            @Nullable Map<String, @Nullable Object> props) {
        if (options.cookielessMode() != null) {
            props = ensure(props);
            props.put("$cookieless_mode", options.cookielessMode());
        }
        if (options.disableSkewCorrection() != null) {
            props = ensure(props);
            props.put("$ignore_sent_at", options.disableSkewCorrection());
        }
        if (options.processPersonProfile() != null) {
            props = ensure(props);
            props.put("$process_person_profile", options.processPersonProfile());
        }
        if (options.productTourId() != null) {
            props = ensure(props);
            props.put("$product_tour_id", options.productTourId());
        }
        return props;
    }

    void identify(@Nullable String distinctId, @Nullable Map<String, ?> set, @Nullable Map<String, ?> setOnce) {
        if (this.optedOut) {
            return;
        }
        if (Texts.isBlank(distinctId)) {
            invalid(() -> "identify() needs a distinct id; the $identify event is dropped");
            return;
        }
        Map<String, @Nullable Object> props = new LinkedHashMap<>(4);
        if (set != null && !set.isEmpty()) {
            props.put("$set", new LinkedHashMap<>(set));
        }
        if (setOnce != null && !setOnce.isEmpty()) {
            props.put("$set_once", new LinkedHashMap<>(setOnce));
        }
        enqueue("$identify", distinctId, props, null, null, null, false, null, this.events);
    }

    void personUpdate(String method, String key, @Nullable String distinctId, @Nullable Map<String, ?> properties) {
        if (this.optedOut) {
            return;
        }
        if (Texts.isBlank(distinctId)) {
            invalid(() -> method + "() needs a distinct id; the " + key + " event is dropped");
            return;
        }
        if (properties == null || properties.isEmpty()) {
            return; // nothing to set
        }
        Map<String, @Nullable Object> props = new LinkedHashMap<>(2);
        props.put(key, new LinkedHashMap<>(properties));
        enqueue(key, distinctId, props, null, null, null, false, null, this.events);
    }

    void alias(@Nullable String distinctId, @Nullable String alias) {
        if (this.optedOut) {
            return;
        }
        if (Texts.isBlank(distinctId) || Texts.isBlank(alias)) {
            invalid(() -> "alias() needs both a distinct id and an alias; the $create_alias event is dropped");
            return;
        }
        Map<String, @Nullable Object> props = new LinkedHashMap<>(4);
        props.put("distinct_id", distinctId);
        props.put("alias", alias);
        enqueue("$create_alias", distinctId, props, null, null, null, false, null, this.events);
    }

    void groupIdentify(@Nullable String groupType, @Nullable String groupKey, @Nullable Map<String, ?> properties) {
        if (this.optedOut) {
            return;
        }
        if (Texts.isBlank(groupType) || Texts.isBlank(groupKey)) {
            invalid(() -> "groupIdentify() needs a group type and a group key; the $groupidentify event is dropped");
            return;
        }
        Map<String, @Nullable Object> props = new LinkedHashMap<>(4);
        props.put("$group_type", groupType);
        props.put("$group_key", groupKey);
        props.put("$group_set", (properties != null) ? new LinkedHashMap<>(properties) : new LinkedHashMap<>());
        enqueue("$groupidentify", "$" + groupType + "_" + groupKey, props, null, null, null, false, null, this.events);
    }

    private static @Nullable Map<String, @Nullable Object> copy(@Nullable Map<String, ?> properties) {
        return (properties == null || properties.isEmpty()) ? null : PropertyMap.copyOf(properties);
    }

    /**
     * Adds the context's properties under the event's own (an event property of the same
     * name wins, even when its value is null).
     */
    private static @Nullable Map<String, @Nullable Object> withContext(@Nullable Map<String, @Nullable Object> props,
            Map<String, @Nullable Object> context) {
        if (context.isEmpty()) {
            return props;
        }
        if (props == null) {
            return PropertyMap.copyOf(context);
        }
        for (Map.Entry<String, @Nullable Object> e : context.entrySet()) {
            if (!props.containsKey(e.getKey())) {
                props.put(e.getKey(), e.getValue());
            }
        }
        return props;
    }

    /**
     * A capture that asks for the person's flags without a distinct id takes the
     * context's, so that the flags are those of the person the event goes to.
     */
    private static CaptureOptions withContextDistinctId(CaptureOptions o) {
        String id = PosthogContext.currentDistinctId();
        if (id == null) {
            return o;
        }
        CaptureOptions.Builder b = CaptureOptions.builder(id, o.event())
            .properties(o.properties())
            .groups(o.groups())
            .set(o.set())
            .setOnce(o.setOnce());
        if (o.timestamp() != null) {
            b.timestamp(o.timestamp());
        }
        if (o.uuid() != null) {
            b.uuid(o.uuid());
        }
        if (o.disableGeoip() != null) {
            b.disableGeoip(o.disableGeoip());
        }
        if (o.featureFlagOptions() != null) {
            b.sendFeatureFlags(o.featureFlagOptions());
        }
        else {
            b.sendFeatureFlags(true);
        }
        if (o.flags() != null) {
            b.flags(o.flags());
        }
        return b.build();
    }

    private static Map<String, @Nullable Object> ensure(@Nullable Map<String, @Nullable Object> props) {
        return (props != null) ? props : new LinkedHashMap<>();
    }

    private @Nullable String invalid(Supplier<String> message) {
        return invalid(this.drops, message);
    }

    private static @Nullable String invalid(Drops drops, Supplier<String> message) {
        drops.dropped(DropReason.INVALID, 1, message);
        return null;
    }

    /** Validate, enrich, run hooks, offer. Never blocks, never throws. */
    private @Nullable String enqueue(@Nullable String event, @Nullable String distinctId,
            @Nullable Map<String, @Nullable Object> props, @Nullable Instant timestamp, @Nullable String uuid,
            @Nullable Boolean disableGeoip, boolean allowPersonless, @Nullable CaptureOptions lateFlags,
            Intake target) {
        return enqueue(event, distinctId, props, timestamp, uuid, disableGeoip, allowPersonless, lateFlags, target,
                null);
    }

    private @Nullable String enqueue(@Nullable String event, @Nullable String distinctId,
            @Nullable Map<String, @Nullable Object> props, @Nullable Instant timestamp, @Nullable String uuid,
            @Nullable Boolean disableGeoip, boolean allowPersonless, @Nullable CaptureOptions lateFlags, Intake target,
            @Nullable Set<String> allowlist) {
        Drops drops = target.drops();
        try {
            if (this.closed.getAsBoolean()) {
                drops.dropped(DropReason.CLOSED, 1,
                        () -> "Dropped event '" + Texts.abbreviate(event) + "': the PostHog client is closed");
                return null;
            }
            if (event == null || event.isBlank()) {
                return invalid(drops, () -> "Dropped an event with a null or blank event name");
            }
            ClientSettings s = this.settings.get();
            if (s.directDelivery() == null && target.spool() == null && target.queue().isFull()) {
                // Full: drop before building anything (flat-out load must stay cheap for
                // the caller).
                drops.queueFull();
                return null;
            }
            if (allowPersonless) {
                PosthogContext context = PosthogContextHolder.getContext();
                if (context != null) {
                    if (distinctId == null || distinctId.isBlank()) {
                        distinctId = context.distinctId();
                    }
                    props = withContext(props, context.eventProperties());
                    if (allowlist != null && props != null) {
                        props.keySet().retainAll(allowlist); // minimal events stay
                                                             // minimal
                    }
                }
            }
            long now = System.currentTimeMillis();
            if (timestamp == null && s.customClock()) {
                timestamp = s.clock().instant(); // the builder's clock; delivery timing
                                                 // keeps now
            }
            boolean personless = false;
            if (distinctId == null || distinctId.isBlank()) {
                if (!allowPersonless) {
                    return invalid(drops,
                            () -> "Dropped event '" + Texts.abbreviate(event) + "': a distinct id is required");
                }
                distinctId = Uuid7.generate(now).toString();
                personless = true;
            }
            String id = (uuid != null) ? uuid : Uuid7.generate(now).toString();
            Map<String, @Nullable Object> supers = this.superProperties.snapshot();
            if (allowlist != null && !supers.isEmpty()) {
                Map<String, @Nullable Object> kept = new LinkedHashMap<>(supers);
                kept.keySet().retainAll(allowlist);
                supers = kept;
            }
            String name = event;
            List<BeforeSendHook> chain = s.beforeSend();
            if (!chain.isEmpty() || s.directDelivery() != null) {
                PosthogEvent view = BeforeSendChain.run(chain, event, distinctId, props, supers, timestamp, now, id,
                        personless, drops);
                if (view == null) {
                    return null;
                }
                name = view.event();
                distinctId = view.distinctId();
                if (Texts.isBlank(name) || Texts.isBlank(distinctId)) {
                    String shown = name;
                    return invalid(drops, () -> "Dropped event '" + Texts.abbreviate(shown)
                            + "': a before-send hook left its event name or distinct id blank");
                }
                if (s.directDelivery() != null) {
                    return this.handOff.deliverDirectly(s.directDelivery(), view, target);
                }
                props = view.properties();
                supers = Collections.emptyMap();
                timestamp = view.timestamp();
                id = Uuid7.isCanonical(view.uuid()) ? view.uuid() : Uuid7.generate(now).toString();
                personless = false; // the hook saw, and may have changed,
                                    // $process_person_profile
            }
            QueuedEvent queued = new QueuedEvent(id, name, distinctId, now, timestamp, props, supers, personless,
                    disableGeoip);
            queued.flagsFor = lateFlags;
            return this.handOff.offer(queued, target);
        }
        catch (RuntimeException ex) {
            // Never let a bug of ours reach the caller.
            return invalid(drops,
                    () -> "Dropped event '" + Texts.abbreviate(event) + "' after an unexpected error: " + ex);
        }
    }

}
