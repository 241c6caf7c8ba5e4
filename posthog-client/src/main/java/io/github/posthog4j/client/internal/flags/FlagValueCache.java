package io.github.posthog4j.client.internal.flags;

import io.github.posthog4j.client.internal.FlagSettings;
import io.github.posthog4j.client.internal.Json;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The {@code /flags} answers of remote evaluations (values and payloads), per evaluation
 * context (distinct id, groups, person and group properties, device id, GeoIP choice), in
 * an LRU bounded by {@code flagCacheMaxSize} contexts. An answer younger than
 * {@code flagCacheTtl} is served without a request; any answer still held is the fallback
 * when {@code /flags} fails. Only clean answers are stored (no error; a response with
 * {@code errorsWhileComputingFlags} adds its flags but is never taken as complete).
 * Thread-safe; never throws.
 */
final class FlagValueCache {

    /**
     * One cached flag: the flag as evaluated, its answer's metadata, when it was stored.
     */
    record Stored(EvaluatedFlag flag, @Nullable RemoteMeta meta, long storedAtNanos) {
    }

    /**
     * The cached answers of one context: flags by key, and when the last complete answer
     * (every flag, no key filter, no error) arrived (0: never).
     */
    private static final class Entry {

        final Map<String, Stored> flags = new HashMap<>();

        long completeAtNanos;

        @Nullable RemoteMeta completeMeta;

    }

    private final Supplier<FlagSettings> settings;

    private final LongSupplier nanoTime;

    /** Guarded by itself. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);

    FlagValueCache(Supplier<FlagSettings> settings) {
        this(settings, System::nanoTime);
    }

    FlagValueCache(Supplier<FlagSettings> settings, LongSupplier nanoTime) {
        this.settings = settings;
        this.nanoTime = nanoTime;
    }

    /**
     * @return whether answers are cached (a size above 0)
     */
    boolean enabled() {
        return this.settings.get().cacheMaxSize() > 0;
    }

    /**
     * The cache key of an evaluation context: a digest of its inputs, or null when they
     * cannot be serialised (then nothing is cached for it).
     */
    static @Nullable String contextKey(FlagInputs in) {
        try {
            Map<String, Object> parts = new TreeMap<>();
            parts.put("d", in.distinctId());
            parts.put("g", new TreeMap<>(in.groups()));
            parts.put("p", new TreeMap<>(in.personProperties()));
            Map<String, Object> groups = new TreeMap<>();
            in.groupProperties().forEach((t, props) -> groups.put(t, new TreeMap<>(props)));
            parts.put("gp", groups);
            parts.put("x", (in.deviceId() != null) ? in.deviceId() : "");
            parts.put("geo", in.disableGeoip());
            byte[] json = Json.mapper().writeValueAsBytes(parts);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
            return in.distinctId().length() + ":" + HexFormat.of().formatHex(digest);
        }
        catch (com.fasterxml.jackson.core.JsonProcessingException | NoSuchAlgorithmException | RuntimeException ex) {
            return null;
        }
    }

    /**
     * A fresh answer for one flag.
     * @param context the context key
     * @param key the flag key
     * @return the flag, or null when none is cached or it is older than the TTL (a flag a
     * fresh complete answer left out is absent: also null, and {@link #knownMissing})
     */
    @Nullable Stored fresh(String context, String key) {
        long ttl = ttlNanos();
        if (ttl <= 0) {
            return null;
        }
        long now = this.nanoTime.getAsLong();
        synchronized (this.entries) {
            Entry e = this.entries.get(context);
            Stored s = (e != null) ? e.flags.get(key) : null;
            return (s != null && now - s.storedAtNanos() < ttl) ? s : null;
        }
    }

    /**
     * @return whether a fresh complete answer for the context left this flag out
     */
    boolean knownMissing(String context, String key) {
        long ttl = ttlNanos();
        if (ttl <= 0) {
            return false;
        }
        long now = this.nanoTime.getAsLong();
        synchronized (this.entries) {
            Entry e = this.entries.get(context);
            return e != null && e.completeAtNanos != 0 && now - e.completeAtNanos < ttl && !e.flags.containsKey(key);
        }
    }

    /**
     * Fresh answers for several flags.
     * @param context the context key
     * @param keys the flags asked for, or empty for all
     * @return the cached flags (only those asked for), or null when the cache cannot
     * answer for all of them without a request
     */
    @Nullable Map<String, Stored> freshAll(String context, Collection<String> keys) {
        long ttl = ttlNanos();
        if (ttl <= 0) {
            return null;
        }
        long now = this.nanoTime.getAsLong();
        synchronized (this.entries) {
            Entry e = this.entries.get(context);
            if (e == null) {
                return null;
            }
            boolean completeFresh = e.completeAtNanos != 0 && now - e.completeAtNanos < ttl;
            Map<String, Stored> out = new LinkedHashMap<>();
            if (keys.isEmpty()) {
                if (!completeFresh) {
                    return null;
                }
                out.putAll(e.flags);
                return out;
            }
            for (String key : keys) {
                Stored s = e.flags.get(key);
                if (s != null && (now - s.storedAtNanos() < ttl || completeFresh)) {
                    out.put(key, s);
                }
                else if (s != null || !completeFresh) {
                    return null;
                }
            }
            return out;
        }
    }

    /**
     * The last cached answers, whatever their age: the fallback when {@code /flags}
     * failed.
     * @param context the context key
     * @param keys the flags asked for, or empty for all
     * @return the flags held (only those asked for; possibly empty)
     */
    Map<String, Stored> last(String context, Collection<String> keys) {
        synchronized (this.entries) {
            Entry e = this.entries.get(context);
            Map<String, Stored> out = new LinkedHashMap<>();
            if (e == null) {
                return out;
            }
            if (keys.isEmpty()) {
                out.putAll(e.flags);
            }
            else {
                for (String key : keys) {
                    Stored s = e.flags.get(key);
                    if (s != null) {
                        out.put(key, s);
                    }
                }
            }
            return out;
        }
    }

    /**
     * Stores a {@code /flags} answer that came without error.
     * @param context the context key
     * @param flags the answer's flags, as evaluated
     * @param meta the answer's metadata
     * @param keys the flags asked for (empty: all)
     */
    void store(String context, Map<String, EvaluatedFlag> flags, @Nullable RemoteMeta meta, Collection<String> keys) {
        int max = this.settings.get().cacheMaxSize();
        if (max <= 0) {
            return;
        }
        boolean clean = meta == null || !meta.errorsWhileComputing();
        long now = this.nanoTime.getAsLong();
        synchronized (this.entries) {
            Entry e = this.entries.computeIfAbsent(context, (k) -> new Entry());
            if (keys.isEmpty() && clean) {
                e.flags.clear();
                e.completeAtNanos = now;
                e.completeMeta = meta;
            }
            else if (clean) {
                keys.forEach(e.flags::remove); // asked for and not returned: gone
            }
            flags.forEach((k, f) -> {
                if (keys.isEmpty() || keys.contains(k)) {
                    e.flags.put(k, new Stored(f, meta, now));
                }
            });
            while (this.entries.size() > max) {
                this.entries.remove(this.entries.keySet().iterator().next());
            }
        }
    }

    /**
     * @return the metadata of the last complete answer of a context, or null
     */
    @Nullable RemoteMeta completeMeta(String context) {
        synchronized (this.entries) {
            Entry e = this.entries.get(context);
            return (e != null) ? e.completeMeta : null;
        }
    }

    /**
     * @return how many contexts are cached
     */
    int size() {
        synchronized (this.entries) {
            return this.entries.size();
        }
    }

    /** Forgets everything (settings changed, close). */
    void clear() {
        synchronized (this.entries) {
            this.entries.clear();
        }
    }

    private long ttlNanos() {
        return this.settings.get().cacheTtl().toNanos();
    }

}
