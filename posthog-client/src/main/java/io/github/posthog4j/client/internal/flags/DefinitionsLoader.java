package io.github.posthog4j.client.internal.flags;

import io.github.posthog4j.client.internal.ClientSettings;
import io.github.posthog4j.client.internal.FlagSettings;
import io.github.posthog4j.client.internal.Log;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Loads the local-evaluation definitions ({@code GET /api/feature_flag/local_evaluation/}
 * with the personal API key and {@code If-None-Match}) and holds the last good ones as a
 * {@link LocalFlagEvaluator}. A 304 keeps them; a failure keeps them and logs one WARN
 * until the next success; 402 (quota) clears them; 401/403 name the personal key. One
 * load at a time; readers see the old or the new evaluator, never a mix. Survives engine
 * restarts (the {@link FlagPoller} calls {@link #load(FlagsHttp)}). Never throws.
 *
 * <p>
 * Every new set of definitions goes through {@link #install}, and every fetch through
 * {@link #fetch}: an external definitions cache (read instead of fetching, store after a
 * fetch) sits between the two.
 */
final class DefinitionsLoader {

    private static final Log log = Log.CLIENT;

    static final String DEFINITIONS_PATH = "/api/feature_flag/local_evaluation/";

    private final Supplier<ClientSettings> settings;

    private final FlagRequests requests;

    private final Runnable definitionsChanged;

    /** Null until definitions were loaded (or after they were cleared). */
    private volatile @Nullable LocalFlagEvaluator evaluator;

    private volatile @Nullable String etag;

    private volatile long loadedAtMillis;

    private volatile @Nullable String lastError;

    private volatile boolean warned;

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
    }

    /**
     * Loads the definitions once (on the {@code posthog-flags} thread). Never throws.
     * @param http the poller's HTTP client
     */
    void load(FlagsHttp http) {
        synchronized (this.lock) {
            ClientSettings s = this.settings.get();
            FlagSettings fs = s.flags();
            if (fs.personalApiKey() == null) {
                return;
            }
            FlagsHttp.Response r = fetch(http, s, fs);
            int status = r.status();
            if (status == 304) {
                confirmed((r.etag() != null) ? r.etag() : this.etag);
                return;
            }
            if (status == 200) {
                if (r.tooLarge()) {
                    failed("the definitions response is larger than " + fs.maxDefinitionsBytes() + " bytes");
                    return;
                }
                FlagDefinitions defs;
                try {
                    defs = FlagDefinitions.parse(r.body());
                }
                catch (FlagDefinitionsParseException ex) {
                    failed("malformed definitions JSON (" + this.requests.scrub(ex.getMessage()) + ")");
                    return;
                }
                install(r.etag(), defs);
                return;
            }
            if (status == 402) {
                clearDefinitions();
                failed("HTTP 402: feature flags are quota limited; local definitions cleared (see "
                        + "https://posthog.com/docs/billing/limits-alerts)");
                return;
            }
            if (status == 401 || status == 403) {
                failed("HTTP " + status + ": PostHog refused the personal API key for local evaluation; "
                        + "check the personal API key (it needs feature flag read access)");
                return;
            }
            failed((status == 0) ? "PostHog unreachable (" + this.requests.scrub(r.error()) + ")" : "HTTP " + status);
        }
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

    /** New definitions: they replace the old ones at once. */
    private void install(@Nullable String newEtag, FlagDefinitions defs) {
        this.evaluator = new LocalFlagEvaluator(defs);
        this.definitionsChanged.run();
        confirmed(newEtag);
    }

    /** PostHog confirmed the definitions in use (a 200 or a 304). */
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
     * when local evaluation is turned off.
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
                this.loadedAtMillis = 0;
                this.lastError = null;
                this.warned = false;
            }
            this.definitionsChanged.run();
        }
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
     * @return the last load failure, or null after a success
     */
    @Nullable String lastError() {
        return this.lastError;
    }

}
