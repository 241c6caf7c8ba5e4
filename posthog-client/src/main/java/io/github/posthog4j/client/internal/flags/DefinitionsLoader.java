package io.github.posthog4j.client.internal.flags;

import io.github.posthog4j.client.FlagDefinitionCacheProvider;
import io.github.posthog4j.client.FlagDefinitionsData;
import io.github.posthog4j.client.internal.ClientSettings;
import io.github.posthog4j.client.internal.FlagSettings;
import io.github.posthog4j.client.internal.Log;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Loads the local-evaluation definitions ({@code GET /api/feature_flag/local_evaluation/}
 * with the personal API key and {@code If-None-Match}) and holds the last good ones as a
 * {@link LocalFlagEvaluator}. A 304 keeps them; a failure keeps them and logs one WARN
 * until the next success; 402 (quota) clears them; 401/403 name the personal key. One
 * load at a time; readers see the old or the new evaluator, never a mix. Survives engine
 * restarts (the {@link FlagPoller} calls {@link #load}). Never throws.
 *
 * <p>
 * With a {@link FlagDefinitionCacheProvider} (through {@link SharedDefinitions}) each
 * load first asks the provider: to fetch (then, when a fetch is due, from PostHog, and
 * the result is stored in the provider) or to read the shared definitions (no request). A
 * fetch is due when nothing is loaded or the definitions in use were fetched (by any
 * instance) at least five sixths of a poll interval ago, so that the provider can be
 * consulted every third of an interval while PostHog is asked at most once per interval.
 * Empty or failing provider reads keep the definitions in use; with none loaded, an empty
 * shared cache for a whole interval (or a failed read) makes this instance fetch itself.
 */
final class DefinitionsLoader {

    private static final Log log = Log.CLIENT;

    static final String DEFINITIONS_PATH = "/api/feature_flag/local_evaluation/";

    private final Supplier<ClientSettings> settings;

    private final FlagRequests requests;

    private final Runnable definitionsChanged;

    private final SharedDefinitions shared;

    /** Null until definitions were loaded (or after they were cleared). */
    private volatile @Nullable LocalFlagEvaluator evaluator;

    private volatile @Nullable String etag;

    private volatile long loadedAtMillis;

    private volatile @Nullable String lastError;

    private volatile boolean warned;

    /** With a provider: the document in use, as shared (guarded by lock). */
    private @Nullable FlagDefinitionsData current;

    /** With a provider: when the definitions in use were fetched, or last tried. */
    private long fetchedAtMillis;

    private long lastAttemptMillis;

    /** With a provider and nothing loaded: since when the shared cache was empty. */
    private long emptySinceMillis;

    private final Object lock = new Object();

    /**
     * @param settings the client's current settings
     * @param requests where requests are reported
     * @param definitionsChanged called when the definitions were replaced or cleared
     * (flag values may have changed)
     */
    DefinitionsLoader(Supplier<ClientSettings> settings, FlagRequests requests, Runnable definitionsChanged) {
        this.settings = settings;
        this.requests = requests;
        this.definitionsChanged = definitionsChanged;
        this.shared = new SharedDefinitions(settings);
    }

    /**
     * @param flags the flag settings
     * @return how often the poller calls {@link #load}: the poll interval, or a third of
     * it with a definitions cache provider
     */
    static Duration tick(FlagSettings flags) {
        Duration interval = flags.pollInterval();
        return (flags.definitionCacheProvider() != null) ? interval.dividedBy(3) : interval;
    }

    /** Loads once without a provider pool (tests). */
    void load(FlagsHttp http) {
        load(http, null);
    }

    /**
     * Loads the definitions once (on the {@code posthog-flags} thread). Never throws.
     * @param http the poller's HTTP client
     * @param pool the poller run's pool for provider calls, or null to call on this
     * thread
     */
    void load(FlagsHttp http, @Nullable ExecutorService pool) {
        synchronized (this.lock) {
            ClientSettings s = this.settings.get();
            FlagSettings fs = s.flags();
            if (fs.personalApiKey() == null) {
                return;
            }
            FlagDefinitionCacheProvider provider = fs.definitionCacheProvider();
            if (provider == null) {
                fetchAndInstall(http, s, fs);
                return;
            }
            long now = System.currentTimeMillis();
            SharedDefinitions.Decision decision = this.shared.shouldFetch(provider, pool);
            if (decision == SharedDefinitions.Decision.READ) {
                SharedDefinitions.Read read = this.shared.read(provider, pool);
                if (read.data() != null && installShared(read.data(), s)) {
                    this.emptySinceMillis = 0;
                    return;
                }
                if (this.evaluator != null) {
                    return; // keep the definitions in use
                }
                if (this.emptySinceMillis == 0) {
                    this.emptySinceMillis = now;
                }
                if (!read.failed() && now - this.emptySinceMillis < fs.pollInterval().toMillis()) {
                    return; // the instance that fetches has not stored them yet
                }
            }
            long last = Math.max(this.fetchedAtMillis, this.lastAttemptMillis);
            if (this.evaluator != null && now - last < fs.pollInterval().toMillis() * 5 / 6) {
                return; // fetched within this interval
            }
            this.lastAttemptMillis = now;
            FlagDefinitionsData fetched = fetchAndInstall(http, s, fs);
            if (fetched != null) {
                this.fetchedAtMillis = now;
                if (decision != SharedDefinitions.Decision.FAILED) {
                    this.shared.store(provider, fetched, pool); // not to a provider that
                                                                // just failed
                }
            }
        }
    }

    /**
     * One conditional GET, and what follows from its answer.
     * @return with a provider, the definitions to share after a 200 or a 304, else null
     */
    private @Nullable FlagDefinitionsData fetchAndInstall(FlagsHttp http, ClientSettings s, FlagSettings fs) {
        FlagsHttp.Response r = fetch(http, s, fs);
        int status = r.status();
        boolean sharing = fs.definitionCacheProvider() != null;
        if (status == 304) {
            confirmed((r.etag() != null) ? r.etag() : this.etag);
            FlagDefinitionsData cur = this.current;
            if (sharing && cur != null) {
                this.current = cur.confirmedAt(Instant.now());
                return this.current;
            }
            return null;
        }
        if (status == 200) {
            if (r.tooLarge()) {
                failed("the definitions response is larger than " + fs.maxDefinitionsBytes() + " bytes");
                return null;
            }
            FlagDefinitions defs;
            try {
                defs = FlagDefinitions.parse(r.body());
            }
            catch (FlagDefinitionsParseException ex) {
                failed("malformed definitions JSON (" + this.requests.scrub(ex.getMessage()) + ")");
                return null;
            }
            install(r.etag(), defs, s);
            if (sharing) {
                this.current = FlagDefinitionsData.of(new String(r.body(), StandardCharsets.UTF_8), r.etag(),
                        Instant.now());
                return this.current;
            }
            return null;
        }
        if (status == 402) {
            clearDefinitions();
            failed("HTTP 402: feature flags are quota limited; local definitions cleared (see "
                    + "https://posthog.com/docs/billing/limits-alerts)");
            return null;
        }
        if (status == 401 || status == 403) {
            failed("HTTP " + status + ": PostHog refused the personal API key for local evaluation; "
                    + "check the personal API key (it needs feature flag read access)");
            return null;
        }
        failed((status == 0) ? "PostHog unreachable (" + this.requests.scrub(r.error()) + ")" : "HTTP " + status);
        return null;
    }

    /** One conditional GET, reported. */
    private FlagsHttp.Response fetch(FlagsHttp http, ClientSettings s, FlagSettings fs) {
        long start = System.nanoTime();
        String url = s.host() + DEFINITIONS_PATH + "?token=" + URLEncoder.encode(s.apiKey(), StandardCharsets.UTF_8)
                + "&send_cohorts";
        FlagsHttp.Response r;
        try {
            r = http.get(url, fs.personalApiKey(), this.etag, fs.maxDefinitionsBytes());
        }
        catch (RuntimeException ex) {
            r = new FlagsHttp.Response(0, null, null, ex.toString(), false, false);
        }
        boolean retryable = r.status() == 0 || r.status() >= 500;
        this.requests.report("definitions", 1, r, retryable, 0, start);
        return r;
    }

    /**
     * Definitions read from the provider: installed unless they are the ones in use (then
     * only their fetch time is taken). Malformed data is a provider failure.
     * @return whether the data could be used
     */
    private boolean installShared(FlagDefinitionsData data, ClientSettings s) {
        FlagDefinitionsData cur = this.current;
        if (cur != null && this.evaluator != null && cur.version().equals(data.version())) {
            this.current = data;
            this.fetchedAtMillis = Math.max(this.fetchedAtMillis, data.fetchedAt().toEpochMilli());
            confirmed(data.etag());
            return true;
        }
        FlagDefinitions defs;
        try {
            defs = FlagDefinitions.parse(data.json());
        }
        catch (FlagDefinitionsParseException | NullPointerException ex) {
            log.warn("PostHog flag definitions cache provider returned malformed definitions ("
                    + this.requests.scrub(ex.getMessage()) + "); keeping the definitions in use");
            return false;
        }
        this.current = data;
        this.fetchedAtMillis = data.fetchedAt().toEpochMilli();
        install(data.etag(), defs, s);
        return true;
    }

    /**
     * @return the {@code ETag} of the definitions in use, or null
     */
    @Nullable String etag() {
        return this.etag;
    }

    /** New definitions: they replace the old ones at once. */
    private void install(@Nullable String newEtag, FlagDefinitions defs, ClientSettings s) {
        this.evaluator = new LocalFlagEvaluator(defs, s.clock());
        this.definitionsChanged.run();
        confirmed(newEtag);
    }

    /** PostHog (or the shared cache) confirmed the definitions in use. */
    private void confirmed(@Nullable String newEtag) {
        this.etag = newEtag;
        this.loadedAtMillis = System.currentTimeMillis();
        if (this.lastError != null && this.warned) {
            log.info("PostHog feature flag definitions loaded again");
        }
        this.lastError = null;
        this.warned = false;
    }

    private void clearDefinitions() {
        this.evaluator = null;
        this.etag = null;
        this.current = null;
        this.definitionsChanged.run();
    }

    private void failed(String error) {
        this.lastError = error;
        LocalFlagEvaluator ev = this.evaluator;
        String message = "PostHog feature flag definitions could not be loaded: " + error + "; "
                + ((ev != null) ? "keeping the last good definitions (" + ev.definitions().flags().size() + " flags)"
                        : "flags are evaluated by PostHog until definitions load")
                + ". Retrying every " + this.settings.get().flags().pollInterval() + ".";
        if (!this.warned) {
            this.warned = true;
            log.warn(message);
        }
        else if (log.isDebugEnabled()) {
            log.debug(message);
        }
    }

    /**
     * Forgets definitions that came from another project, host or key, or all of them
     * when local evaluation is turned off; another clock rebuilds the evaluator.
     * @param old the settings in use
     * @param next the settings about to be used
     */
    void settingsChanging(ClientSettings old, ClientSettings next) {
        if (!old.host().equals(next.host()) || !old.apiKey().equals(next.apiKey())
                || !Objects.equals(old.flags().personalApiKey(), next.flags().personalApiKey())
                || !next.flags().localEvaluation()) {
            synchronized (this.lock) {
                this.evaluator = null;
                this.etag = null;
                this.current = null;
                this.loadedAtMillis = 0;
                this.fetchedAtMillis = 0;
                this.lastAttemptMillis = 0;
                this.lastError = null;
                this.warned = false;
            }
            this.definitionsChanged.run();
        }
        else if (!old.clock().equals(next.clock())) {
            LocalFlagEvaluator ev = this.evaluator;
            if (ev != null) {
                this.evaluator = new LocalFlagEvaluator(ev.definitions(), next.clock());
            }
        }
    }

    /** Called by the client's close: shuts the definitions cache provider down. */
    void close() {
        this.shared.shutdown();
    }

    /**
     * @return the evaluator of the last good definitions, or null when none are loaded
     */
    @Nullable LocalFlagEvaluator evaluator() {
        return this.evaluator;
    }

    /**
     * @return when PostHog last confirmed the definitions (epoch millis), 0 when never
     */
    long loadedAtMillis() {
        return this.loadedAtMillis;
    }

    /**
     * @return the last load failure (or definitions cache provider failure), or null
     * after a success
     */
    @Nullable String lastError() {
        String e = this.lastError;
        return (e != null) ? e : this.shared.lastError();
    }

}
