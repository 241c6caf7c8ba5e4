package io.github.posthog4j.client.internal.flags;

import io.github.posthog4j.client.FlagSource;
import io.github.posthog4j.client.internal.ClientSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The one place remote answers enter an evaluation: asks PostHog ({@link RemoteFlags}),
 * or, without local evaluation, the {@link FlagValueCache} first (a fresh answer costs no
 * request; the last answer is the fallback when PostHog fails). Counts where answers came
 * from: {@code remote} (local evaluation off), {@code fallback} (local definitions could
 * not decide), {@code cache}. Thread-safe; never throws.
 */
final class RemoteSource {

    /**
     * One flag: null when unknown; the error is the {@code $feature_flag_error} value.
     */
    record One(@Nullable EvaluatedFlag flag, @Nullable RemoteMeta meta, @Nullable String error) {
    }

    /** Several flags, with the answer's metadata and error. */
    record All(Map<String, EvaluatedFlag> flags, @Nullable RemoteMeta meta, @Nullable String error) {
    }

    private final Supplier<ClientSettings> settings;

    private final RemoteFlags remote;

    private final FlagValueCache cache;

    private final LongAdder remoteCount = new LongAdder();

    private final LongAdder fallbackCount = new LongAdder();

    private final LongAdder cacheCount = new LongAdder();

    RemoteSource(Supplier<ClientSettings> settings, RemoteFlags remote) {
        this.settings = settings;
        this.remote = remote;
        this.cache = new FlagValueCache(() -> settings.get().flags());
    }

    /** The cache key when the cache applies to this evaluation, else null. */
    private @Nullable String cacheContext(FlagInputs in) {
        ClientSettings s = this.settings.get();
        return (s.flags().localEvaluation() || !this.cache.enabled()) ? null : FlagValueCache.contextKey(in);
    }

    private FlagSource askedSource() {
        return this.settings.get().flags().localEvaluation() ? FlagSource.FALLBACK : FlagSource.REMOTE;
    }

    private RemoteAnswer ask(FlagInputs in, List<String> keys, FlagSource source) {
        (source == FlagSource.FALLBACK ? this.fallbackCount : this.remoteCount).increment();
        return this.remote.fetch(in, keys.isEmpty() ? null : keys);
    }

    /**
     * Evaluates one flag remotely (or from the cache).
     * @param in the inputs
     * @param key the flag
     * @return the flag, or why not
     */
    One one(FlagInputs in, String key) {
        String context = cacheContext(in);
        if (context != null) {
            FlagValueCache.Stored hit = this.cache.fresh(context, key);
            if (hit != null) {
                this.cacheCount.increment();
                return new One(hit.flag().from(FlagSource.CACHE), hit.meta(), null);
            }
            if (this.cache.knownMissing(context, key)) {
                this.cacheCount.increment();
                return new One(null, this.cache.completeMeta(context), "flag_missing");
            }
        }
        FlagSource source = askedSource();
        RemoteAnswer answer = ask(in, List.of(key), source);
        if (answer.error() != null) {
            if (context != null) {
                FlagValueCache.Stored last = this.cache.last(context, List.of(key)).get(key);
                if (last != null) {
                    this.cacheCount.increment();
                    return new One(last.flag().from(FlagSource.CACHE), last.meta(), answer.error());
                }
            }
            return new One(null, answer.meta(), answer.error());
        }
        RemoteFlag flag = answer.flags().get(key);
        EvaluatedFlag evaluated = (flag != null) ? EvaluatedFlag.remote(flag, answer.meta(), source) : null;
        if (context != null) {
            this.cache.store(context, (evaluated != null) ? Map.of(key, evaluated) : Map.of(), answer.meta(),
                    List.of(key));
        }
        List<String> errors = new ArrayList<>(2);
        if (answer.meta() != null && answer.meta().errorsWhileComputing()) {
            errors.add("errors_while_computing_flags");
        }
        if (flag == null) {
            errors.add("flag_missing");
        }
        return new One(evaluated, answer.meta(), errors.isEmpty() ? null : String.join(",", errors));
    }

    /**
     * Evaluates several flags remotely (or from the cache); only the flags asked for are
     * returned.
     * @param in the inputs
     * @param keys the flags asked for, or empty for all
     * @return the flags, with the answer's metadata and error
     */
    All all(FlagInputs in, Set<String> keys) {
        String context = cacheContext(in);
        if (context != null) {
            Map<String, FlagValueCache.Stored> hit = this.cache.freshAll(context, keys);
            if (hit != null) {
                this.cacheCount.increment();
                Map<String, EvaluatedFlag> flags = new LinkedHashMap<>();
                RemoteMeta meta = this.cache.completeMeta(context);
                for (Map.Entry<String, FlagValueCache.Stored> e : hit.entrySet()) {
                    flags.put(e.getKey(), e.getValue().flag().from(FlagSource.CACHE));
                    meta = (meta != null) ? meta : e.getValue().meta();
                }
                return new All(flags, meta, null);
            }
        }
        FlagSource source = askedSource();
        List<String> asked = new ArrayList<>(keys);
        RemoteAnswer answer = ask(in, asked, source);
        Map<String, EvaluatedFlag> flags = new LinkedHashMap<>();
        if (answer.error() != null) {
            if (context != null) {
                Map<String, FlagValueCache.Stored> last = this.cache.last(context, keys);
                if (!last.isEmpty()) {
                    this.cacheCount.increment();
                    last.forEach((k, st) -> flags.put(k, st.flag().from(FlagSource.CACHE)));
                }
            }
            return new All(flags, answer.meta(), answer.error());
        }
        answer.flags().forEach((k, f) -> {
            if (keys.isEmpty() || keys.contains(k)) {
                flags.put(k, EvaluatedFlag.remote(f, answer.meta(), source));
            }
        });
        if (context != null) {
            this.cache.store(context, flags, answer.meta(), keys);
        }
        String error = (answer.meta() != null && answer.meta().errorsWhileComputing()) ? "errors_while_computing_flags"
                : null;
        return new All(flags, answer.meta(), error);
    }

    long remoteCount() {
        return this.remoteCount.sum();
    }

    long fallbackCount() {
        return this.fallbackCount.sum();
    }

    long cacheCount() {
        return this.cacheCount.sum();
    }

    /**
     * @return how many evaluation contexts are cached
     */
    int cachedContexts() {
        return this.cache.size();
    }

    /** Forgets the cached answers (settings changed, close). */
    void clearCache() {
        this.cache.clear();
    }

}
