package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.BeforeSendHook;
import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.PosthogEvent;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
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

    /** The durable spool, where captures go in spool mode (the queue stays empty). */
    private final @Nullable SpoolPump spool;

    private final java.util.function.BiConsumer<String, String> accepted;

    private volatile boolean optedOut;

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
            CaptureFlags flags, java.util.function.BiConsumer<String, String> accepted) {
        this.settings = settings;
        this.superProperties = superProperties;
        this.queue = queue;
        this.dispatcher = dispatcher;
        this.stats = stats;
        this.drops = drops;
        this.closed = closed;
        this.flags = flags;
        this.spool = spool;
        this.accepted = accepted;
        this.optedOut = settings.get().optOut();
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
        if (this.spool != null && properties != null && this.settings.get().beforeSend().isEmpty()) {
            // spool mode serialises before capture returns and no hook may change the
            // map:
            // the caller's own map is read once, on this thread, and never kept
            @SuppressWarnings("unchecked")
            Map<String, @Nullable Object> own = (Map<String, @Nullable Object>) properties;
            return enqueue(event, distinctId, own.isEmpty() ? null : own, null, null, null, true, null);
        }
        return enqueue(event, distinctId, copy(properties), null, null, null, true, null);
    }

    @Nullable String capture(@Nullable CaptureOptions options) {
        return capture(options, null);
    }

    /**
     * Captures an event keeping only allowlisted properties, super properties included
     * (minimal {@code $feature_flag_called} events).
     * @param options the capture
     * @param allowlist the property names kept, or null for all
     * @return the event's uuid, or null when dropped
     */
    @Nullable String capture(@Nullable CaptureOptions options, @Nullable Set<String> allowlist) {
        if (this.optedOut) {
            return null;
        }
        if (options == null) {
            return invalid(() -> "capture(null): options are required");
        }
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
        String uuid = options.uuid();
        if (uuid != null && !Uuid7.isCanonical(uuid)) {
            this.drops.warn(DropReason.INVALID, () -> "Event '" + Texts.abbreviate(options.event())
                    + "' has a uuid that is not a canonical UUID; a new one was generated");
            uuid = null;
        }
        if (allowlist != null && props != null) {
            props.keySet().retainAll(allowlist);
        }
        return enqueue(options.event(), options.distinctId(), props, options.timestamp(), uuid, options.disableGeoip(),
                true, lateFlags, allowlist);
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
        enqueue("$identify", distinctId, props, null, null, null, false, null);
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
        enqueue(key, distinctId, props, null, null, null, false, null);
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
        enqueue("$create_alias", distinctId, props, null, null, null, false, null);
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
        enqueue("$groupidentify", "$" + groupType + "_" + groupKey, props, null, null, null, false, null);
    }

    private static @Nullable Map<String, @Nullable Object> copy(@Nullable Map<String, ?> properties) {
        return (properties == null || properties.isEmpty()) ? null : new LinkedHashMap<>(properties);
    }

    private static Map<String, @Nullable Object> ensure(@Nullable Map<String, @Nullable Object> props) {
        return (props != null) ? props : new LinkedHashMap<>();
    }

    private @Nullable String invalid(Supplier<String> message) {
        this.drops.dropped(DropReason.INVALID, 1, message);
        return null;
    }

    /** Validate, enrich, run hooks, offer. Never blocks, never throws. */
    private @Nullable String enqueue(@Nullable String event, @Nullable String distinctId,
            @Nullable Map<String, @Nullable Object> props, @Nullable Instant timestamp, @Nullable String uuid,
            @Nullable Boolean disableGeoip, boolean allowPersonless, @Nullable CaptureOptions lateFlags) {
        return enqueue(event, distinctId, props, timestamp, uuid, disableGeoip, allowPersonless, lateFlags, null);
    }

    private @Nullable String enqueue(@Nullable String event, @Nullable String distinctId,
            @Nullable Map<String, @Nullable Object> props, @Nullable Instant timestamp, @Nullable String uuid,
            @Nullable Boolean disableGeoip, boolean allowPersonless, @Nullable CaptureOptions lateFlags,
            @Nullable Set<String> allowlist) {
        try {
            if (this.closed.getAsBoolean()) {
                this.drops.dropped(DropReason.CLOSED, 1,
                        () -> "Dropped event '" + Texts.abbreviate(event) + "': the PostHog client is closed");
                return null;
            }
            if (event == null || event.isBlank()) {
                return invalid(() -> "Dropped an event with a null or blank event name");
            }
            ClientSettings s = this.settings.get();
            if (s.directDelivery() == null && this.spool == null && this.queue.isFull()) {
                // Full: drop before building anything (flat-out load must stay cheap for
                // the caller).
                this.drops.queueFull();
                return null;
            }
            long now = System.currentTimeMillis();
            if (timestamp == null && s.customClock()) {
                timestamp = s.clock().instant(); // the builder's clock; delivery timing
                                                 // keeps now
            }
            boolean personless = false;
            if (distinctId == null || distinctId.isBlank()) {
                if (!allowPersonless) {
                    return invalid(() -> "Dropped event '" + Texts.abbreviate(event) + "': a distinct id is required");
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
                PosthogEvent view = runHooks(chain, event, distinctId, props, supers, timestamp, now, id, personless);
                if (view == null) {
                    return null;
                }
                name = view.event();
                distinctId = view.distinctId();
                if (Texts.isBlank(name) || Texts.isBlank(distinctId)) {
                    String shown = name;
                    return invalid(() -> "Dropped event '" + Texts.abbreviate(shown)
                            + "': a before-send hook left its event name or distinct id blank");
                }
                if (s.directDelivery() != null) {
                    return deliverDirectly(s.directDelivery(), view);
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
            return offer(queued);
        }
        catch (RuntimeException ex) {
            // Never let a bug of ours reach the caller.
            return invalid(() -> "Dropped event '" + Texts.abbreviate(event) + "' after an unexpected error: " + ex);
        }
    }

    private @Nullable String offer(QueuedEvent queued) {
        SpoolPump disk = this.spool;
        if (disk != null) {
            return append(disk, queued);
        }
        if (!this.queue.offer(queued)) {
            this.drops.queueFull();
            return null;
        }
        this.stats.captured.increment();
        if (this.closed.getAsBoolean() && this.queue.remove(queued)) {
            // close() swept the queue between our check and our offer
            this.drops.counted(DropReason.CLOSED, 1);
            this.stats.completed.increment();
            return null;
        }
        this.dispatcher.queued();
        this.accepted.accept(queued.event, queued.uuid);
        return queued.uuid;
    }

    /**
     * Spool mode: the event is on disk (the page cache) before its uuid is returned;
     * serialised here, on the caller's thread.
     */
    private @Nullable String append(SpoolPump disk, QueuedEvent queued) {
        SpoolPump.Outcome outcome = disk.append(queued);
        if (outcome == SpoolPump.Outcome.STORED) {
            this.stats.captured.increment();
            this.dispatcher.queued();
            this.accepted.accept(queued.event, queued.uuid);
            return queued.uuid;
        }
        if (outcome == SpoolPump.Outcome.CLOSED) {
            this.drops.dropped(DropReason.CLOSED, 1,
                    () -> "Dropped event '" + Texts.abbreviate(queued.event) + "': the PostHog client is closed");
        }
        return null;
    }

    private @Nullable PosthogEvent runHooks(List<BeforeSendHook> chain, String event, String distinctId,
            @Nullable Map<String, @Nullable Object> props, Map<String, @Nullable Object> supers,
            @Nullable Instant timestamp, long now, String id, boolean personless) {
        Map<String, @Nullable Object> merged = new LinkedHashMap<>(supers);
        if (props != null) {
            merged.putAll(props);
        }
        if (personless) {
            merged.putIfAbsent("$process_person_profile", false);
        }
        PosthogEvent view = new PosthogEvent(event, distinctId, merged,
                (timestamp != null) ? timestamp : Instant.ofEpochMilli(now), id);
        for (BeforeSendHook hook : chain) {
            try {
                view = hook.apply(view);
            }
            catch (RuntimeException | LinkageError ex) {
                this.drops.dropped(DropReason.BEFORE_SEND, 1,
                        () -> "Dropped event '" + Texts.abbreviate(event) + "': before-send hook "
                                + hook.getClass().getName() + " threw " + ex.getClass().getName()
                                + " (events are dropped, not sent unfiltered, when a hook fails)");
                return null;
            }
            if (view == null) {
                this.drops.counted(DropReason.BEFORE_SEND, 1);
                return null;
            }
        }
        return view;
    }

    private @Nullable String deliverDirectly(Consumer<PosthogEvent> direct, PosthogEvent view) {
        try {
            direct.accept(view);
        }
        catch (RuntimeException ex) {
            this.drops.dropped(DropReason.BEFORE_SEND, 1, () -> "Dropped event '" + Texts.abbreviate(view.event())
                    + "': the direct-delivery consumer threw " + ex.getClass().getName());
            return null;
        }
        this.stats.captured.increment();
        this.stats.sent.increment();
        this.stats.completed.increment();
        return view.uuid();
    }

}
