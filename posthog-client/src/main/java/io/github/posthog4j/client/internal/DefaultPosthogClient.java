package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.BeforeSendHook;
import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.FeatureFlagEvaluations;
import io.github.posthog4j.client.FeatureFlagResult;
import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.FlagsAndPayloads;
import io.github.posthog4j.client.PosthogFlagsStatus;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClientBuilder;
import io.github.posthog4j.client.PosthogClientListener;
import io.github.posthog4j.client.PosthogClientStatus;
import io.github.posthog4j.client.PosthogEvent;
import io.github.posthog4j.client.PosthogConfigurationException;
import io.github.posthog4j.client.PosthogEvent;
import io.github.posthog4j.client.RequestReport;
import io.github.posthog4j.client.internal.flags.FeatureFlags;
import io.github.posthog4j.client.internal.spool.DiskSpool;
import io.github.posthog4j.client.internal.spool.SpoolLockedException;
import io.github.posthog4j.client.internal.spool.SpoolRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client. Owns the queue, the counters and the settings; a {@link DeliveryEngine}
 * owns the threads and is created anew by every {@link #start()}. See
 * {@code docs/ARCHITECTURE.md}.
 */
public final class DefaultPosthogClient implements ManagedPosthogClient {

    private static final Log log = Log.CLIENT;

    final Stats stats = new Stats();

    /**
     * Feature flags: definitions, evaluation, $feature_flag_called tracking. Survives
     * engine restarts.
     */
    final FeatureFlags flags = new FeatureFlags(this::settings, new RequestObserver() {
        @Override
        public boolean active() {
            return hasListeners();
        }

        @Override
        public void report(RequestReport r) {
            DefaultPosthogClient.this.report(r);
        }
    }, this::capture);

    /** Guards {@link #returned}, and is the monitor consumers and flushers wait on. */
    final ReentrantLock lock = new ReentrantLock();

    /** Signalled when consumers may have work: a full batch, a flush, a stop. */
    final Condition work = lock.newCondition();

    /** Signalled when a batch reached a final state or was handed back, for flush. */
    private final Condition progress = lock.newCondition();

    private volatile ClientSettings settings;

    private volatile LinkedBlockingQueue<QueuedEvent> queue;

    /**
     * Batches handed back by stopped or interrupted deliveries; delivered before the
     * queue. Guarded by lock.
     */
    private final ArrayDeque<Batch> returned = new ArrayDeque<>();

    private volatile int returnedEvents;

    /** Events taken from the queue and not yet resolved or handed back. */
    private final AtomicLong inFlight = new AtomicLong();

    private volatile int waitingConsumers;

    private final AtomicBoolean workSignalled = new AtomicBoolean();

    /**
     * The highest completion count a flush waits for: while fewer events are completed,
     * consumers send what they have at once instead of waiting for a full batch or the
     * interval.
     */
    private final AtomicLong flushTarget = new AtomicLong();

    /**
     * The engine paused draining after a batch exhausted its retries; it probes PostHog
     * until one succeeds.
     */
    private volatile boolean backingOff;

    private volatile long pausedUntilNanos;

    private volatile boolean probeNow;

    private long probeDelayMillis;

    private final AtomicLong probeFailures = new AtomicLong();

    private volatile Map<String, Object> superProperties;

    private final Map<String, Object> registered = new LinkedHashMap<>();

    private final java.util.Set<String> unregistered = new java.util.HashSet<>();

    private volatile List<BeforeSendHook> hooks;

    private volatile List<PosthogClientListener> settingsListeners;

    private final CopyOnWriteArrayList<PosthogClientListener> addedListeners = new CopyOnWriteArrayList<>();

    private volatile boolean hasListeners;

    private final Object lifecycle = new Object();

    private volatile DeliveryEngine engine;

    private int generation;

    private volatile boolean closed;

    /** When the last stop() of a running engine began, for close's shared budget. */
    private volatile long lastStopNanos;

    private volatile long lastStopEndNanos;

    /**
     * Set (under lock) once close() has emptied the queue and the handed-back batches.
     */
    private boolean swept;

    private final ReentrantLock inlineLock = new ReentrantLock();

    /** The durable spool, or null when it is off. Owned by the client, like the queue. */
    private final DiskSpool spool;

    private volatile long lastSpoolDrainMillis = System.currentTimeMillis();

    private final Object spoolSynced = new Object();

    /**
     * Events the spool writer has stored or dropped; and how many of them a completed
     * sync covers.
     */
    private final LongAdder spoolAccounted = new LongAdder();

    private long syncedAccounted;

    private final LongAdder queueFullSinceLog = new LongAdder();

    private final AtomicLong queueFullLoggedAt = new AtomicLong(System.nanoTime());

    private final java.util.EnumMap<DropReason, WarnLimiter> warnings = new java.util.EnumMap<>(DropReason.class);

    /**
     * Creates a stopped client; {@link #start()} starts delivery.
     * @param settings validated settings
     */
    public DefaultPosthogClient(ClientSettings settings) {
        this.settings = settings;
        this.queue = new LinkedBlockingQueue<>(settings.maxQueueSize());
        this.spool = openSpool(settings);
        applySettings(settings);
        for (DropReason r : DropReason.values()) {
            warnings.put(r, new WarnLimiter(log, TimeUnit.SECONDS.toNanos(1)));
        }
        if (settings.insecureRemoteHost()) {
            log.warn("The PostHog host " + settings.host() + " uses plain http: events and the project API key "
                    + "travel unencrypted. Use https unless this is a trusted local proxy.");
        }
    }

    private DiskSpool openSpool(ClientSettings s) {
        if (s.spoolDirectory() == null) {
            return null;
        }
        DiskSpool opened;
        try {
            opened = DiskSpool.open(s.spoolDirectory(), s.spoolMaxBytes(),
                    Math.min(1024L * 1024, Math.max(64 * 1024, s.spoolMaxBytes() / 16)));
        }
        catch (SpoolLockedException | java.io.UncheckedIOException ex) {
            throw new PosthogConfigurationException("spoolDirectory", ex.getMessage());
        }
        if (opened.recovered() > 0 || opened.corruptRecords() > 0) {
            log.info("PostHog spool " + s.spoolDirectory() + ": " + opened.recovered()
                    + " events from a previous run will be delivered" + ((opened.corruptRecords() > 0)
                            ? "; skipped " + opened.corruptRecords() + " corrupt or torn records" : ""));
        }
        stats.recovered.add(opened.recovered());
        return opened;
    }

    boolean spoolEnabled() {
        return spool != null;
    }

    private void applySettings(ClientSettings s) {
        this.hooks = s.beforeSend();
        this.settingsListeners = s.listeners();
        this.hasListeners = !settingsListeners.isEmpty() || !addedListeners.isEmpty();
        synchronized (registered) {
            rebuildSuperProperties(s);
        }
    }

    private void rebuildSuperProperties(ClientSettings s) {
        Map<String, Object> merged = new LinkedHashMap<>(s.superProperties());
        merged.keySet().removeAll(unregistered);
        merged.putAll(registered);
        this.superProperties = merged.isEmpty() ? Collections.emptyMap() : Collections.unmodifiableMap(merged);
    }

    // ------------------------------------------------------------------------------------------
    // capture API

    @Override
    public String capture(String distinctId, String event) {
        return enqueue(event, distinctId, null, null, null, null, true);
    }

    @Override
    public String capture(String distinctId, String event, Map<String, ?> properties) {
        return enqueue(event, distinctId, copy(properties), null, null, null, true);
    }

    @Override
    public String capture(CaptureOptions options) {
        if (options == null) {
            return invalid("capture(null): options are required");
        }
        Map<String, Object> props = copy(options.properties());
        if (options.sendFeatureFlags() || options.flags() != null) {
            props = flags.enrichCapture(options, props);
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
            warnings.get(DropReason.INVALID)
                .warn("Event '" + abbreviate(options.event())
                        + "' has a uuid that is not a canonical UUID; a new one was generated");
            uuid = null;
        }
        return enqueue(options.event(), options.distinctId(), props, options.timestamp(), uuid, options.disableGeoip(),
                true);
    }

    @Override
    public void identify(String distinctId, Map<String, ?> set, Map<String, ?> setOnce) {
        Map<String, Object> props = new LinkedHashMap<>(4);
        if (set != null && !set.isEmpty()) {
            props.put("$set", new LinkedHashMap<>(set));
        }
        if (setOnce != null && !setOnce.isEmpty()) {
            props.put("$set_once", new LinkedHashMap<>(setOnce));
        }
        if (isBlank(distinctId)) {
            invalid("identify() needs a distinct id; the $identify event is dropped");
            return;
        }
        enqueue("$identify", distinctId, props, null, null, null, false);
    }

    @Override
    public void set(String distinctId, Map<String, ?> properties) {
        personUpdate("set", "$set", distinctId, properties);
    }

    @Override
    public void setOnce(String distinctId, Map<String, ?> properties) {
        personUpdate("setOnce", "$set_once", distinctId, properties);
    }

    private void personUpdate(String method, String key, String distinctId, Map<String, ?> properties) {
        if (isBlank(distinctId)) {
            invalid(method + "() needs a distinct id; the " + key + " event is dropped");
            return;
        }
        if (properties == null || properties.isEmpty()) {
            return; // nothing to set
        }
        Map<String, Object> props = new LinkedHashMap<>(2);
        props.put(key, new LinkedHashMap<>(properties));
        enqueue(key, distinctId, props, null, null, null, false);
    }

    @Override
    public void alias(String distinctId, String alias) {
        if (isBlank(distinctId) || isBlank(alias)) {
            invalid("alias() needs both a distinct id and an alias; the $create_alias event is dropped");
            return;
        }
        Map<String, Object> props = new LinkedHashMap<>(4);
        props.put("distinct_id", distinctId);
        props.put("alias", alias);
        enqueue("$create_alias", distinctId, props, null, null, null, false);
    }

    @Override
    public void groupIdentify(String groupType, String groupKey, Map<String, ?> properties) {
        if (isBlank(groupType) || isBlank(groupKey)) {
            invalid("groupIdentify() needs a group type and a group key; the $groupidentify event is dropped");
            return;
        }
        Map<String, Object> props = new LinkedHashMap<>(4);
        props.put("$group_type", groupType);
        props.put("$group_key", groupKey);
        props.put("$group_set", (properties != null) ? new LinkedHashMap<>(properties) : new LinkedHashMap<>());
        enqueue("$groupidentify", "$" + groupType + "_" + groupKey, props, null, null, null, false);
    }

    @Override
    public void register(String key, Object value) {
        if (key == null) {
            return;
        }
        synchronized (registered) {
            registered.put(key, value);
            unregistered.remove(key);
            rebuildSuperProperties(settings);
        }
    }

    @Override
    public void unregister(String key) {
        if (key == null) {
            return;
        }
        synchronized (registered) {
            registered.remove(key);
            unregistered.add(key);
            rebuildSuperProperties(settings);
        }
    }

    private static Map<String, Object> copy(Map<String, ?> properties) {
        return (properties == null || properties.isEmpty()) ? null : new LinkedHashMap<>(properties);
    }

    private static Map<String, Object> ensure(Map<String, Object> props) {
        return (props != null) ? props : new LinkedHashMap<>();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return (s.length() <= 64) ? s : s.substring(0, 64) + "...";
    }

    private String invalid(String message) {
        stats.dropped(DropReason.INVALID, 1);
        notifyDropped(DropReason.INVALID, 1);
        warnings.get(DropReason.INVALID).warn(message);
        return null;
    }

    /**
     * The capture path: validate, enrich, run hooks, offer. Never blocks, never throws.
     */
    private String enqueue(String event, String distinctId, Map<String, Object> props, Instant timestamp, String uuid,
            Boolean disableGeoip, boolean allowPersonless) {
        try {
            if (closed) {
                stats.dropped(DropReason.CLOSED, 1);
                notifyDropped(DropReason.CLOSED, 1);
                warnings.get(DropReason.CLOSED)
                    .warn("Dropped event '" + abbreviate(event) + "': the PostHog client is closed");
                return null;
            }
            if (isBlank(event)) {
                return invalid("Dropped an event with a null or blank event name");
            }
            if (queue.remainingCapacity() == 0) {
                // Full: drop before building anything (flat-out load must stay cheap for
                // the caller).
                queueFull();
                return null;
            }
            boolean personless = false;
            long now = System.currentTimeMillis();
            if (isBlank(distinctId)) {
                if (!allowPersonless) {
                    return invalid("Dropped event '" + abbreviate(event) + "': a distinct id is required");
                }
                distinctId = Uuid7.generate(now).toString();
                personless = true;
            }
            String id = (uuid != null) ? uuid : Uuid7.generate(now).toString();
            Map<String, Object> supers = this.superProperties;
            List<BeforeSendHook> chain = this.hooks;
            if (!chain.isEmpty()) {
                PosthogEvent view = runHooks(chain, event, distinctId, props, supers, timestamp, now, id, personless);
                if (view == null) {
                    return null;
                }
                event = view.event();
                distinctId = view.distinctId();
                if (isBlank(event) || isBlank(distinctId)) {
                    return invalid("Dropped event '" + abbreviate(event)
                            + "': a before-send hook left its event name or distinct id blank");
                }
                props = view.properties();
                supers = Collections.emptyMap();
                timestamp = view.timestamp();
                id = Uuid7.isCanonical(view.uuid()) ? view.uuid() : Uuid7.generate(now).toString();
                personless = false; // the hook saw, and may have changed,
                                    // $process_person_profile
            }
            java.util.function.Consumer<PosthogEvent> direct = settings.directDelivery();
            if (direct != null) {
                return deliverDirectly(direct, event, distinctId, props, supers, timestamp, now, id, personless);
            }
            QueuedEvent queued = new QueuedEvent(id, event, distinctId, now, timestamp, props, supers, personless,
                    disableGeoip);
            LinkedBlockingQueue<QueuedEvent> q = this.queue;
            if (!q.offer(queued)) {
                queueFull();
                return null;
            }
            stats.captured.increment();
            if (closed && q.remove(queued)) {
                // close() swept the queue between our check and our offer
                stats.dropped(DropReason.CLOSED, 1);
                stats.completed.increment();
                notifyDropped(DropReason.CLOSED, 1);
                return null;
            }
            while (q != this.queue && q.remove(queued)) {
                // reconfigure() swapped the queue and may have emptied the old one before
                // our offer
                q = this.queue;
                if (!q.offer(queued)) {
                    stats.dropped(DropReason.QUEUE_FULL, 1);
                    stats.completed.increment();
                    notifyDropped(DropReason.QUEUE_FULL, 1);
                    return null;
                }
            }
            if (waitingConsumers > 0 && q.size() >= settings.flushAt() && workSignalled.compareAndSet(false, true)) {
                signalWork();
            }
            return id;
        }
        catch (RuntimeException ex) {
            // Never let a bug of ours reach the caller.
            log.warn("Dropped event '" + abbreviate(event) + "' after an unexpected error: " + ex);
            stats.dropped(DropReason.INVALID, 1);
            return null;
        }
    }

    private String deliverDirectly(java.util.function.Consumer<PosthogEvent> direct, String event, String distinctId,
            Map<String, Object> props, Map<String, Object> supers, Instant timestamp, long now, String id,
            boolean personless) {
        Map<String, Object> merged = new LinkedHashMap<>(supers);
        if (props != null) {
            merged.putAll(props);
        }
        if (personless) {
            merged.putIfAbsent("$process_person_profile", false);
        }
        try {
            direct.accept(new PosthogEvent(event, distinctId, merged,
                    (timestamp != null) ? timestamp : Instant.ofEpochMilli(now), id));
        }
        catch (RuntimeException ex) {
            stats.dropped(DropReason.BEFORE_SEND, 1);
            notifyDropped(DropReason.BEFORE_SEND, 1);
            warnings.get(DropReason.BEFORE_SEND)
                .warn("Dropped event '" + abbreviate(event) + "': the direct-delivery consumer threw "
                        + ex.getClass().getName());
            return null;
        }
        stats.captured.increment();
        stats.sent.increment();
        stats.completed.increment();
        return id;
    }

    private PosthogEvent runHooks(List<BeforeSendHook> chain, String event, String distinctId,
            Map<String, Object> props, Map<String, Object> supers, Instant timestamp, long now, String id,
            boolean personless) {
        Map<String, Object> merged = new LinkedHashMap<>(supers);
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
                stats.dropped(DropReason.BEFORE_SEND, 1);
                notifyDropped(DropReason.BEFORE_SEND, 1);
                warnings.get(DropReason.BEFORE_SEND)
                    .warn("Dropped event '" + abbreviate(event) + "': before-send hook " + hook.getClass().getName()
                            + " threw " + ex.getClass().getName()
                            + " (events are dropped, not sent unfiltered, when a hook fails)");
                return null;
            }
            if (view == null) {
                stats.dropped(DropReason.BEFORE_SEND, 1);
                notifyDropped(DropReason.BEFORE_SEND, 1);
                if (log.isDebugEnabled()) {
                    log.debug("Event '" + abbreviate(event) + "' dropped by before-send hook "
                            + hook.getClass().getName());
                }
                return null;
            }
        }
        return view;
    }

    private void queueFull() {
        stats.dropped(DropReason.QUEUE_FULL, 1);
        notifyDropped(DropReason.QUEUE_FULL, 1);
        queueFullSinceLog.increment();
        reportQueueFull(false);
    }

    /**
     * Logs the queue-full drops counted since the last report, at most once per flush
     * interval.
     */
    void reportQueueFull(boolean force) {
        long now = System.nanoTime();
        long last = queueFullLoggedAt.get();
        if ((force || now - last >= settings.flushInterval().toNanos()) && queueFullLoggedAt.compareAndSet(last, now)) {
            long n = queueFullSinceLog.sumThenReset();
            if (n > 0) {
                log.warn("The PostHog queue is full (capacity " + settings.maxQueueSize() + "): dropped " + n
                        + " events since the last report. PostHog may be slow or unreachable, or capture outpaces "
                        + "delivery: raise posthog.max-queue-size or posthog.consumer-threads.");
            }
        }
    }

    // ---------------------------------------------------------------------------------
    // consumer hand-offs

    private void signalWork() {
        lock.lock();
        try {
            work.signalAll();
        }
        finally {
            lock.unlock();
        }
    }

    ClientSettings settings() {
        return settings;
    }

    /**
     * Waits until a consumer has something to send, or must stop.
     * @return true with work to take, false when the engine stops
     */
    boolean awaitWork(DeliveryEngine engine) throws InterruptedException {
        lock.lock();
        try {
            while (!engine.stopping) {
                waitingConsumers++;
                try {
                    workSignalled.set(false);
                    int size = (spool != null) ? (int) Math.min(Integer.MAX_VALUE, spool.unread()) : queue.size();
                    boolean hasWork = size > 0 || !returned.isEmpty();
                    long intervalMillis = settings.flushInterval().toMillis();
                    if (backingOff) {
                        long waitNanos = pausedUntilNanos - System.nanoTime();
                        if (hasWork && (probeNow || waitNanos <= 0)) {
                            probeNow = false;
                            return true;
                        }
                        work.awaitNanos(hasWork ? waitNanos : TimeUnit.MILLISECONDS.toNanos(intervalMillis));
                        continue;
                    }
                    if (!returned.isEmpty() || size >= settings.flushAt() || (size > 0 && urgent())) {
                        return true;
                    }
                    if (size == 0) {
                        work.await(intervalMillis, TimeUnit.MILLISECONDS);
                        continue;
                    }
                    long since;
                    if (spool != null) {
                        since = lastSpoolDrainMillis;
                    }
                    else {
                        QueuedEvent head = queue.peek();
                        since = (head == null) ? 0 : head.capturedAtMillis;
                    }
                    long due = Math.min(intervalMillis, since + intervalMillis - System.currentTimeMillis());
                    if (due <= 0) {
                        return true;
                    }
                    work.await(due, TimeUnit.MILLISECONDS);
                }
                finally {
                    waitingConsumers--;
                }
            }
            return false;
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * @return the next batch (handed-back work first), or null if there is none
     */
    Batch takeBatch() {
        return takeBatch(spool == null);
    }

    /**
     * @param fromMemory whether to take from the in-memory queue when the spool has
     * nothing (the spool writer owns the in-memory queue while the engine runs)
     * @return the next batch (handed-back work first, then the spool, then the queue), or
     * null
     */
    Batch takeBatch(boolean fromMemory) {
        lock.lock();
        try {
            Batch b = returned.pollFirst();
            if (b != null) {
                returnedEvents -= b.size();
                inFlight.addAndGet(b.size());
                return b;
            }
        }
        finally {
            lock.unlock();
        }
        int max = settings.maxBatchSize();
        if (spool != null) {
            int want = (int) Math.min(max, Math.max(spool.unread(), 1));
            inFlight.addAndGet(want);
            List<SpoolRecord> records;
            try {
                records = spool.read(want, settings.maxBatchBytes() / 2);
            }
            catch (RuntimeException ex) {
                inFlight.addAndGet(-want);
                throw ex;
            }
            inFlight.addAndGet(records.size() - want);
            lastSpoolDrainMillis = System.currentTimeMillis();
            if (!records.isEmpty()) {
                List<QueuedEvent> events = new ArrayList<>(records.size());
                for (SpoolRecord r : records) {
                    events.add(QueuedEvent.fromSpool(r));
                }
                return new Batch(events, 0);
            }
            if (!fromMemory) {
                return null;
            }
        }
        int want = Math.min(max, Math.max(queue.size(), 1));
        List<QueuedEvent> events = new ArrayList<>(want);
        // Count in-flight before draining so that status() never under-reports pending
        // events.
        inFlight.addAndGet(want);
        int n = queue.drainTo(events, want);
        inFlight.addAndGet(n - want);
        return (n == 0) ? null : new Batch(events, 0);
    }

    /** Puts unfinished batches back at the head of the line, in order. */
    void giveBack(List<Batch> batches) {
        if (batches.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            if (swept) {
                // close() has already emptied everything: nobody would read these again
                int memoryOnly = 0;
                for (Batch b : batches) {
                    inFlight.addAndGet(-b.size());
                    for (QueuedEvent e : b.events) {
                        if (e.record == null) {
                            memoryOnly++;
                        }
                    }
                }
                if (memoryOnly > 0) {
                    stats.dropped(DropReason.CLOSED, memoryOnly);
                    stats.completed.add(memoryOnly);
                    notifyDropped(DropReason.CLOSED, memoryOnly);
                    log.warn("PostHog client closed while a flush still held " + memoryOnly
                            + " undelivered events; they are dropped");
                }
                progress.signalAll();
                return;
            }
            for (int i = batches.size() - 1; i >= 0; i--) {
                Batch b = batches.get(i);
                returned.addFirst(b);
                returnedEvents += b.size();
                inFlight.addAndGet(-b.size());
            }
            progress.signalAll();
        }
        finally {
            lock.unlock();
        }
    }

    void sent(Batch b) {
        ackSpool(b.events);
        int n = b.size();
        stats.sent.add(n);
        stats.lastSuccessMillis = System.currentTimeMillis();
        stats.consecutiveFailures.set(0);
        resolved(n);
        if (backingOff) {
            exitBackoff();
        }
    }

    void failed(String error) {
        stats.consecutiveFailures.incrementAndGet();
        stats.lastError = error;
    }

    /** Removes events from the spool once they are sent or dropped for good. */
    void ackSpool(List<QueuedEvent> events) {
        if (spool == null) {
            return;
        }
        List<SpoolRecord> records = new ArrayList<>(events.size());
        for (QueuedEvent e : events) {
            if (e.record != null) {
                records.add(e.record);
            }
        }
        if (!records.isEmpty()) {
            spool.ack(records);
        }
    }

    /**
     * The spool writer's loop: moves events from the in-memory queue into the spool,
     * forcing them to disk at least every sync interval, until the engine stops; then
     * moves what is left and syncs.
     */
    void spoolWriterLoop(DeliveryEngine engine) throws InterruptedException {
        long syncNanos = settings.spoolSyncInterval().toNanos();
        long lastSync = System.nanoTime();
        List<QueuedEvent> chunk = new ArrayList<>(1024);
        EventSerializer serializer = new EventSerializer();
        boolean dirty = false;
        while (!engine.stopping) {
            QueuedEvent first = queue.poll(Math.max(1, syncNanos / 2), TimeUnit.NANOSECONDS);
            if (first != null) {
                chunk.add(first);
                queue.drainTo(chunk, 1023);
                dirty |= spoolChunk(chunk, serializer);
                chunk.clear();
            }
            long now = System.nanoTime();
            if (dirty && (first == null || now - lastSync >= syncNanos)) {
                syncSpool();
                lastSync = now;
                dirty = false;
            }
        }
        moveQueueToSpool(serializer);
    }

    /**
     * Writes to the spool the handed-back events that live only in memory (taken from the
     * queue by a flush or close on the calling thread, then not delivered). Those read
     * from the spool are still on disk.
     */
    private void persistHandedBack(EventSerializer serializer) {
        List<QueuedEvent> memoryOnly = new ArrayList<>();
        lock.lock();
        try {
            for (Batch b : returned) {
                for (QueuedEvent e : b.events) {
                    if (e.record == null) {
                        memoryOnly.add(e);
                    }
                }
                b.events.removeIf(e -> e.record == null);
            }
            returned.removeIf(b -> b.events.isEmpty());
            returnedEvents -= memoryOnly.size();
        }
        finally {
            lock.unlock();
        }
        if (!memoryOnly.isEmpty()) {
            spoolChunk(memoryOnly, serializer);
            syncSpool();
        }
    }

    /** Moves what is queued now (not what keeps arriving) into the spool and syncs. */
    private void moveQueueToSpool(EventSerializer serializer) {
        List<QueuedEvent> chunk = new ArrayList<>(1024);
        int left = queue.size();
        while (left > 0 && queue.drainTo(chunk, Math.min(1024, left)) > 0) {
            left -= chunk.size();
            spoolChunk(chunk, serializer);
            chunk.clear();
        }
        syncSpool();
    }

    private void syncSpool() {
        long accounted = spoolAccounted.sum();
        spool.sync();
        synchronized (spoolSynced) {
            syncedAccounted = accounted;
            spoolSynced.notifyAll();
        }
        if ((spool.unread() >= settings.flushAt() || urgent()) && waitingConsumers > 0) {
            signalWork();
        }
    }

    /**
     * Serialises and appends; drops what cannot be serialised or does not fit. @return
     * whether any was stored
     */
    private boolean spoolChunk(List<QueuedEvent> chunk, EventSerializer serializer) {
        boolean stored = false;
        int full = 0;
        for (QueuedEvent e : chunk) {
            inFlight.incrementAndGet();
            if (e.json == null) {
                try {
                    e.json = serializer.serialize(e, settings.disableGeoip());
                }
                catch (EventSerializer.InvalidEventException ex) {
                    spoolAccounted.increment();
                    dropAccepted(1, DropReason.INVALID,
                            "Dropped event '" + abbreviate(e.event) + "' (" + e.uuid + "): " + ex.getMessage());
                    continue;
                }
            }
            if (e.json.length > settings.maxEventBytes()) {
                spoolAccounted.increment();
                dropAccepted(1, DropReason.TOO_LARGE,
                        "Dropped event '" + abbreviate(e.event) + "' (" + e.uuid + "): it is " + e.json.length
                                + " bytes of JSON, over the limit of " + settings.maxEventBytes() + " bytes");
                continue;
            }
            boolean appended;
            try {
                appended = spool.append(e.uuid, e.json);
            }
            catch (RuntimeException ex) {
                // a disk error: this event is counted as dropped, never lost silently;
                // the writer carries on
                inFlight.decrementAndGet();
                stats.dropped(DropReason.QUEUE_FULL, 1);
                stats.completed.increment();
                notifyDropped(DropReason.QUEUE_FULL, 1);
                warnings.get(DropReason.QUEUE_FULL)
                    .warn("Dropped event '" + abbreviate(e.event) + "' (" + e.uuid
                            + "): the PostHog spool write failed: " + ex.getMessage());
                spoolAccounted.increment();
                continue;
            }
            spoolAccounted.increment();
            if (appended) {
                inFlight.decrementAndGet();
                stored = true;
            }
            else {
                full++;
                inFlight.decrementAndGet();
                stats.dropped(DropReason.QUEUE_FULL, 1);
                stats.completed.increment();
                notifyDropped(DropReason.QUEUE_FULL, 1);
            }
        }
        if (full > 0) {
            warnings.get(DropReason.QUEUE_FULL)
                .warn("The PostHog spool in " + settings.spoolDirectory() + " is full (" + settings.spoolMaxBytes()
                        + " bytes): dropped " + full
                        + " events. Raise posthog.spool.max-bytes or check why PostHog is unreachable.");
        }
        return stored;
    }

    /**
     * Waits until every event captured so far is in the spool and forced to disk (test
     * and shutdown aid).
     * @param timeout the longest wait
     * @return whether that happened in time
     */
    public boolean awaitSpooled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long target = stats.captured.sum();
        synchronized (spoolSynced) {
            while (spool != null && syncedAccounted < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                spoolSynced.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        return spool != null;
    }

    /** Drops events that had been accepted (and so are in flight), with a WARN. */
    void dropAccepted(List<QueuedEvent> events, DropReason reason, String message) {
        ackSpool(events);
        dropAccepted(events.size(), reason, message);
    }

    void dropAccepted(int count, DropReason reason, String message) {
        stats.dropped(reason, count);
        notifyDropped(reason, count);
        warnings.get(reason).warn(message);
        resolved(count);
    }

    private void resolved(int n) {
        inFlight.addAndGet(-n);
        stats.completed.add(n);
        lock.lock();
        try {
            progress.signalAll();
        }
        finally {
            lock.unlock();
        }
    }

    void enterBackoff() {
        lock.lock();
        try {
            if (!backingOff) {
                probeDelayMillis = Math.min(settings.retryInitialBackoff().toMillis() * 2,
                        settings.retryMaxBackoff().toMillis());
                backingOff = true;
                log.warn("PostHog is unreachable: pausing delivery and probing every " + probeDelayMillis
                        + " ms or more; " + pendingEvents() + " events stay queued");
            }
            pausedUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(probeDelayMillis);
        }
        finally {
            lock.unlock();
        }
    }

    void probeFailed() {
        lock.lock();
        try {
            probeDelayMillis = Math.min(Math.max(probeDelayMillis, 1) * 2, settings.retryMaxBackoff().toMillis());
            pausedUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(probeDelayMillis);
            probeFailures.incrementAndGet();
            progress.signalAll();
        }
        finally {
            lock.unlock();
        }
    }

    private void exitBackoff() {
        lock.lock();
        try {
            if (backingOff) {
                backingOff = false;
                log.info("PostHog is reachable again: resuming delivery of " + pendingEvents() + " queued events");
                work.signalAll();
            }
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * @return whether a flush is waiting for events not completed yet
     */
    private boolean urgent() {
        return stats.completed.sum() < flushTarget.get();
    }

    boolean isBackingOff() {
        return backingOff;
    }

    boolean hasListeners() {
        return hasListeners;
    }

    void report(RequestReport report) {
        for (PosthogClientListener l : settingsListeners) {
            safely(l, report);
        }
        for (PosthogClientListener l : addedListeners) {
            safely(l, report);
        }
    }

    private static void safely(PosthogClientListener l, RequestReport report) {
        try {
            l.onRequest(report);
        }
        catch (RuntimeException ex) {
            log.debug("PostHog client listener failed", ex);
        }
    }

    private void notifyDropped(DropReason reason, int count) {
        if (!hasListeners) {
            return;
        }
        for (List<PosthogClientListener> list : List.of(settingsListeners, addedListeners)) {
            for (PosthogClientListener l : list) {
                try {
                    l.onDropped(reason, count);
                }
                catch (RuntimeException ex) {
                    log.debug("PostHog client listener failed", ex);
                }
            }
        }
    }

    int pendingEvents() {
        long spooled = (spool != null) ? spool.unread() : 0;
        return (int) Math.min(Integer.MAX_VALUE,
                queue.size() + spooled + (long) returnedEvents + Math.max(0, inFlight.get()));
    }

    // ------------------------------------------------------------------------------------------
    // lifecycle

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (closed || engine != null || settings.directDelivery() != null) {
                return;
            }
            if (generation++ > 0) {
                stats.consumerRestarts.increment();
            }
            DeliveryEngine e = new DeliveryEngine(this, settings, generation);
            engine = e;
            e.start();
            if (e.flagPoller() != null) {
                e.flagPoller().awaitFirstAttempt(settings.flags().initialLoadWait());
            }
        }
    }

    @Override
    public void stop() {
        synchronized (lifecycle) {
            if (engine != null) {
                lastStopNanos = System.nanoTime();
            }
            stopEngine(System.nanoTime() + settings.shutdownTimeout().toNanos());
            lastStopEndNanos = System.nanoTime();
            flags.closeRemote();
        }
    }

    private void stopEngine(long deadlineNanos) {
        DeliveryEngine e = engine;
        if (e != null) {
            engine = null;
            e.stop(deadlineNanos);
        }
    }

    @Override
    public boolean isRunning() {
        return engine != null;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void reconfigure(PosthogClientBuilder builder) {
        ClientSettings next = builder.toSettings();
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            boolean wasRunning = engine != null;
            stopEngine(System.nanoTime() + settings.shutdownTimeout().toNanos());
            if (next.maxQueueSize() != settings.maxQueueSize()) {
                LinkedBlockingQueue<QueuedEvent> old = queue;
                LinkedBlockingQueue<QueuedEvent> fresh = new LinkedBlockingQueue<>(next.maxQueueSize());
                queue = fresh;
                // Captures that still see the old queue land there; move until it stays
                // empty.
                QueuedEvent e;
                while ((e = old.poll()) != null) {
                    if (!fresh.offer(e)) {
                        inFlight.incrementAndGet(); // dropAccepted resolves an in-flight
                                                    // event; this one was queued
                        dropAccepted(1, DropReason.QUEUE_FULL,
                                "Dropped queued events that do not fit the new " + "queue size " + next.maxQueueSize());
                    }
                }
            }
            flags.settingsChanging(settings, next);
            if (!java.util.Objects.equals(next.spoolDirectory(), settings.spoolDirectory())
                    || (next.spoolDirectory() != null && (next.spoolMaxBytes() != settings.spoolMaxBytes()
                            || !next.spoolSyncInterval().equals(settings.spoolSyncInterval())))) {
                log.warn("PostHog spool settings changed at runtime; they take effect at the next start of the "
                        + "application (the spool in use stays " + ((spool != null) ? settings.spoolDirectory() : "off")
                        + ")");
                next = next.withSpool(settings.spoolDirectory(), settings.spoolMaxBytes(),
                        settings.spoolSyncInterval());
            }
            settings = next;
            applySettings(next);
            if (wasRunning) {
                start();
            }
        }
    }

    @Override
    public int flush() {
        return flush(settings.flushTimeout());
    }

    @Override
    public int flush(Duration timeout) {
        long sentBefore = stats.sent.sum();
        try {
            long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
            long target = stats.captured.sum() + stats.recovered.sum();
            waitForEngine(target, deadline);
            if (stats.completed.sum() < target && !isRunning() && System.nanoTime() < deadline) {
                drainInline(deadline, true);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException ex) {
            log.warn("PostHog flush failed: " + ex);
        }
        return (int) Math.min(Integer.MAX_VALUE, stats.sent.sum() - sentBefore);
    }

    /**
     * Lets the running engine send everything accepted up to {@code target}, waiting at
     * most until deadline.
     */
    private void waitForEngine(long target, long deadline) throws InterruptedException {
        long failuresBefore = probeFailures.get();
        lock.lock();
        try {
            flushTarget.accumulateAndGet(target, Math::max);
            probeNow = true;
            work.signalAll();
            while (stats.completed.sum() < target && isRunning()) {
                if (probeFailures.get() != failuresBefore) {
                    return; // PostHog is unreachable: the events stay queued
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return;
                }
                progress.awaitNanos(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(50)));
            }
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * Delivers the queue on the calling thread (no engine running), until empty or
     * deadline.
     */
    private void drainInline(long deadline, boolean stopOnClose) throws InterruptedException {
        if (!inlineLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return;
        }
        Transport transport = null;
        try {
            BatchSender sender = null;
            Waiter waiter = new DeadlineWaiter(deadline, stopOnClose ? () -> closed : () -> false);
            while (!waiter.stopped()) {
                Batch b = takeBatch(true);
                if (b == null) {
                    break;
                }
                if (sender == null) {
                    // No request may outlive the caller's deadline (close's
                    // shutdown-timeout, flush's timeout).
                    Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0));
                    Duration timeout = left.compareTo(settings.requestTimeout()) < 0 ? left : settings.requestTimeout();
                    if (timeout.toMillis() < 50) {
                        giveBack(List.of(b));
                        break;
                    }
                    transport = new HttpTransport(settings, "posthog-flush-http-", timeout);
                    sender = new BatchSender(this, settings, transport);
                }
                List<Batch> left = sender.deliver(b, waiter, false);
                if (!left.isEmpty()) {
                    giveBack(left);
                    break;
                }
            }
        }
        finally {
            if (transport != null) {
                transport.close();
            }
            inlineLock.unlock();
        }
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            // A stop just before close (a container's lifecycle stopping the engine
            // during shutdown) and the
            // close share one shutdown-timeout budget, so the whole shutdown fits in it.
            long now = System.nanoTime();
            long budget = settings.shutdownTimeout().toNanos();
            long stoppedAt = lastStopNanos;
            boolean rightAfterStop = engine == null && stoppedAt != 0
                    && now - lastStopEndNanos < TimeUnit.SECONDS.toNanos(1);
            long start = rightAfterStop ? stoppedAt : now;
            long deadline = start + budget;
            try {
                stopEngine(deadline);
                drainInline(deadline, false);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            catch (RuntimeException ex) {
                log.warn("PostHog client failed while draining on close: " + ex);
            }
            flags.close();
            if (spool != null) {
                try {
                    EventSerializer serializer = new EventSerializer();
                    persistHandedBack(serializer);
                    moveQueueToSpool(serializer);
                    lock.lock();
                    try {
                        swept = true;
                    }
                    finally {
                        lock.unlock();
                    }
                    long kept = spool.unread() + returnedEvents;
                    if (kept > 0) {
                        log.warn("PostHog client closed with " + kept + " events undelivered; they stay in the "
                                + "spool " + settings.spoolDirectory() + " and are delivered by the next start. "
                                + "Last error: " + stats.lastError);
                    }
                }
                catch (RuntimeException ex) {
                    log.warn("PostHog client could not write its last events to the spool on close: " + ex);
                }
                finally {
                    spool.close();
                }
                reportQueueFull(true);
                return;
            }
            int left = sweep();
            if (left > 0) {
                stats.dropped(DropReason.CLOSED, left);
                stats.completed.add(left);
                notifyDropped(DropReason.CLOSED, left);
                log.warn("PostHog client closed with " + left + " events undelivered (PostHog unreachable or "
                        + "posthog.shutdown-timeout of " + settings.shutdownTimeout() + " too short); last error: "
                        + stats.lastError);
            }
            reportQueueFull(true);
        }
    }

    /**
     * Empties the queue and the handed-back batches; returns how many events were there.
     */
    private int sweep() {
        int n = 0;
        lock.lock();
        try {
            swept = true;
            Batch b;
            while ((b = returned.pollFirst()) != null) {
                n += b.size();
            }
            returnedEvents = 0;
        }
        finally {
            lock.unlock();
        }
        while (queue.poll() != null) {
            n++;
        }
        return n;
    }

    @Override
    public PosthogClientStatus status() {
        ClientSettings s = settings;
        return new PosthogClientStatus(isRunning(), closed, pendingEvents(), s.maxQueueSize(),
                stats.consumersActive.get(), stats.captured.sum(), stats.sent.sum(), stats.droppedByReason(),
                stats.retries.sum(), stats.consumerRestarts.sum(), stats.lastSuccess(), stats.consecutiveFailures.get(),
                stats.lastError, backingOff);
    }

    @Override
    public PosthogFlagsStatus flagsStatus() {
        DeliveryEngine e = engine;
        return flags.status(e != null && e.flagPoller() != null && e.flagPoller().isAlive());
    }

    // ------------------------------------------------------------------------------------------
    // feature flags

    @Override
    public boolean isFeatureEnabled(String key, String distinctId, boolean defaultValue, FlagOptions options) {
        FeatureFlagResult result = flags.result(key, distinctId, options, true);
        return (result != null) ? result.enabled() : defaultValue;
    }

    @Override
    public Object getFeatureFlag(String key, String distinctId, FlagOptions options) {
        FeatureFlagResult result = flags.result(key, distinctId, options, true);
        return (result != null) ? result.value() : null;
    }

    @Override
    public FeatureFlagResult getFeatureFlagResult(String key, String distinctId, FlagOptions options) {
        return flags.result(key, distinctId, options, true);
    }

    @Override
    public String getFeatureFlagPayload(String key, String distinctId, FlagOptions options) {
        FeatureFlagResult result = flags.result(key, distinctId, options, false);
        return (result != null) ? result.payload() : null;
    }

    @Override
    public Map<String, Object> getAllFlags(String distinctId, FlagOptions options) {
        return flags.flagsAndPayloads(distinctId, options).featureFlags();
    }

    @Override
    public FlagsAndPayloads getAllFlagsAndPayloads(String distinctId, FlagOptions options) {
        return flags.flagsAndPayloads(distinctId, options);
    }

    @Override
    public FeatureFlagEvaluations evaluateFlags(String distinctId, FlagOptions options) {
        return flags.evaluateFlags(distinctId, options);
    }

    @Override
    public void setPersonPropertiesForFlags(String distinctId, Map<String, ?> properties) {
        flags.setPersonProperties(distinctId, properties);
    }

    @Override
    public void resetPersonPropertiesForFlags(String distinctId) {
        if (distinctId != null) {
            flags.resetPersonProperties(distinctId);
        }
    }

    @Override
    public void resetPersonPropertiesForFlags() {
        flags.resetPersonProperties(null);
    }

    @Override
    public void setGroupPropertiesForFlags(String groupType, String groupKey, Map<String, ?> properties) {
        flags.setGroupProperties(groupType, groupKey, properties);
    }

    @Override
    public void resetGroupPropertiesForFlags(String groupType) {
        if (groupType != null) {
            flags.resetGroupProperties(groupType);
        }
    }

    @Override
    public void resetGroupPropertiesForFlags() {
        flags.resetGroupProperties(null);
    }

    @Override
    public void addListener(PosthogClientListener listener) {
        addedListeners.addIfAbsent(listener);
        hasListeners = true;
    }

    @Override
    public void removeListener(PosthogClientListener listener) {
        addedListeners.remove(listener);
        hasListeners = !settingsListeners.isEmpty() || !addedListeners.isEmpty();
    }

    @Override
    public String toString() {
        return "PosthogClient[host=" + settings.host() + ", running=" + isRunning() + ", closed=" + closed + ", queued="
                + pendingEvents() + "]";
    }

    /** Sleeps, but never past a deadline. */
    private static final class DeadlineWaiter implements Waiter {

        private final long deadline;

        private final java.util.function.BooleanSupplier abandon;

        DeadlineWaiter(long deadline, java.util.function.BooleanSupplier abandon) {
            this.deadline = deadline;
            this.abandon = abandon;
        }

        @Override
        public boolean stopped() {
            return System.nanoTime() >= deadline || abandon.getAsBoolean();
        }

        @Override
        public boolean sleep(long millis) {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            if (until > deadline) {
                return false;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(millis);
                return true;
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

    }

}
