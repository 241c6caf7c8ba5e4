package io.github.posthog4j.client;

import io.github.posthog4j.client.internal.exceptions.ExceptionPayload;
import io.github.posthog4j.client.internal.exceptions.InAppFrames;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A PostHog client: captures analytics events and delivers them in the background.
 *
 * <p>
 * Every method is thread-safe and none of them throws for runtime problems. Capture
 * methods never block: they validate the event, give it a UUID (version 7) and a UTC
 * timestamp, run the before-send hooks and put it on a bounded in-memory queue.
 * Background consumer threads batch the queue and POST it to {@code {host}/batch/}. An
 * event that cannot be accepted (invalid input, a full queue, a closed client, a hook
 * that drops it) is dropped alone, counted under a {@link DropReason} and logged at WARN
 * with the reason, never with its payload.
 *
 * <p>
 * Validation rules, applied to every call:
 * <ul>
 * <li>the event name must not be null or blank;</li>
 * <li>a capture whose distinct id is null or blank takes the distinct id of the current
 * {@link PosthogContext} (a request's, for example), and the context's session id and
 * properties are added to every capture; without a context distinct id the event is
 * <em>personless</em>: the client generates a random distinct id and sets
 * {@code $process_person_profile=false} ({@link #identify}, {@link #alias} and
 * {@link #groupIdentify} drop the event instead, since they are about a person or
 * group);</li>
 * <li>property values must be serialisable by Jackson (maps, collections, arrays,
 * strings, numbers, booleans, dates, beans); a value that cannot be serialised, a
 * reference cycle or an event larger than the per-event byte limit (900 KiB of JSON)
 * drops that event when it is serialised on the consumer thread, counted as
 * {@link DropReason#INVALID} or {@link DropReason#TOO_LARGE};</li>
 * <li>property maps are copied (one level deep) when captured; values nested inside them
 * must not be mutated afterwards.</li>
 * </ul>
 *
 * <p>
 * Build one with {@link #builder(String)}; the Spring Boot starter provides one as a
 * bean.
 */
public interface PosthogClient extends AutoCloseable {

    /**
     * Creates a builder for a client that sends to PostHog with the given project API
     * key.
     * @param apiKey the project API key ({@code phc_...}); never logged
     * @return a new builder
     */
    static PosthogClientBuilder builder(String apiKey) {
        return new PosthogClientBuilder(apiKey);
    }

    /**
     * Captures an event without properties.
     * @param distinctId the user's distinct id; null or blank for a personless event
     * @param event the event name
     * @return the event's UUID, or {@code null} if the event was dropped
     */
    @Nullable String capture(@Nullable String distinctId, String event);

    /**
     * Captures an event with properties.
     * @param distinctId the user's distinct id; null or blank for a personless event
     * @param event the event name
     * @param properties the event properties (copied; may be null)
     * @return the event's UUID, or {@code null} if the event was dropped
     */
    @Nullable String capture(@Nullable String distinctId, String event, @Nullable Map<String, ?> properties);

    /**
     * Captures an event described by options (timestamp, uuid, groups, {@code $set},
     * {@code $set_once}, ...).
     * @param options the event
     * @return the event's UUID, or {@code null} if the event was dropped
     */
    @Nullable String capture(CaptureOptions options);

    // ------------------------------------------------------------------------------------------
    // error tracking

    /**
     * Captures a caught exception for PostHog error tracking: an {@code $exception} event
     * with the exception, its causes and suppressed exceptions and their stack traces
     * ({@code $exception_list}), {@code $exception_type}, {@code $exception_message} and
     * {@code $exception_level} {@code error}, marked handled. The distinct id is the
     * current {@link PosthogContext}'s (or none: a personless event). Never throws; a
     * null exception is ignored.
     * @param exception the exception
     * @return the event's UUID, or {@code null} if the event was dropped
     */
    default @Nullable String captureException(@Nullable Throwable exception) {
        return captureException(ExceptionOptions.builder(exception).build());
    }

    /**
     * Like {@link #captureException(Throwable)}, for a person.
     * @param exception the exception
     * @param distinctId the person's distinct id; null or blank for the current context's
     * @return the event's UUID, or {@code null} if the event was dropped
     */
    default @Nullable String captureException(@Nullable Throwable exception, @Nullable String distinctId) {
        return captureException(ExceptionOptions.builder(exception).distinctId(distinctId).build());
    }

    /**
     * Like {@link #captureException(Throwable)}, with properties (which cannot replace
     * the exception's own: {@code $exception_list}, {@code $exception_level}, ...).
     * @param exception the exception
     * @param properties the event properties (copied; may be null)
     * @return the event's UUID, or {@code null} if the event was dropped
     */
    default @Nullable String captureException(@Nullable Throwable exception, @Nullable Map<String, ?> properties) {
        return captureException(ExceptionOptions.builder(exception).properties(properties).build());
    }

    /**
     * Like {@link #captureException(Throwable)}, for a person and with properties.
     * @param exception the exception
     * @param distinctId the person's distinct id; null or blank for the current context's
     * @param properties the event properties (copied; may be null)
     * @return the event's UUID, or {@code null} if the event was dropped
     */
    default @Nullable String captureException(@Nullable Throwable exception, @Nullable String distinctId,
            @Nullable Map<String, ?> properties) {
        return captureException(
                ExceptionOptions.builder(exception).distinctId(distinctId).properties(properties).build());
    }

    /**
     * Captures an {@code $exception} event described by options (a message instead of a
     * {@link Throwable}, the level, the capture mechanism, a custom fingerprint, ...).
     * The client marks frames of the application's packages in-app and sends the same
     * exception at most {@link PosthogClientBuilder#maxExceptionsPerMinute(int)} times a
     * minute (the rest are counted as {@link DropReason#RATE_LIMITED}). Never throws.
     * @param options the event
     * @return the event's UUID, or {@code null} if the event was dropped
     */
    default @Nullable String captureException(ExceptionOptions options) {
        // For other implementations of this interface: the event through capture(), with
        // the default in-app rule and no storm guard; the client overrides this.
        Map<String, @Nullable Object> properties = (options != null) ? ExceptionPayload.of(options, InAppFrames.DEFAULT)
                : null;
        return (properties != null) ? capture(options.distinctId(), ExceptionPayload.EVENT, properties) : null;
    }

    /**
     * Captures an AI observability event ({@code $ai_generation}, {@code $ai_span},
     * {@code $ai_trace}, {@code $ai_embedding}, ...) on the dedicated AI route: the same
     * validation and enrichment as {@link #capture(String, String, Map)} (uuid,
     * timestamp, super properties, before-send hooks), delivered by a queue of its own to
     * {@code {host}/i/v0/ai/batch/}, which accepts much larger events than analytics
     * capture (8 MiB each). The payload is sent as given: nothing is truncated or
     * redacted. The AI queue and its thread start with the first call; a client that
     * never calls this pays nothing. {@code capture("$ai_generation", ...)} still goes to
     * the analytics route. Never throws.
     * @param distinctId the user's distinct id; null or blank for a personless event
     * @param event the event name, e.g. {@code $ai_generation}
     * @param properties the event properties (copied; may be null)
     * @return the event's UUID, or {@code null} if the event was dropped
     */
    default @Nullable String captureAi(@Nullable String distinctId, String event, @Nullable Map<String, ?> properties) {
        return null;
    }

    /**
     * Captures an AI observability event without properties on the AI route (see
     * {@link #captureAi(String, String, Map)}).
     * @param distinctId the user's distinct id; null or blank for a personless event
     * @param event the event name
     * @return the event's UUID, or {@code null} if the event was dropped
     */
    default @Nullable String captureAi(@Nullable String distinctId, String event) {
        return captureAi(distinctId, event, null);
    }

    /**
     * Captures an AI observability event described by options (timestamp, caller-chosen
     * uuid, groups, ...) on the AI route (see {@link #captureAi(String, String, Map)}).
     * @param options the event
     * @return the event's UUID (the caller's when it supplied a valid one), or
     * {@code null} if the event was dropped
     */
    default @Nullable String captureAi(CaptureOptions options) {
        return null;
    }

    // ------------------------------------------------------------------------------------------
    // logs

    /**
     * Captures a log record for PostHog logs: sent with its own queue and requests to
     * {@code {host}/i/v1/logs} as OpenTelemetry (OTLP/JSON) logs. The record takes its
     * time now, and, from the current {@link PosthogContext}, the attributes
     * {@code posthogDistinctId} and {@code sessionId} (the join keys to persons and
     * sessions; the record's own attributes win), and the trace and span ids of the
     * {@link #getActiveSpan() active span} unless it brings its own. It is dropped,
     * silently, when the client is closed, the user opted out, the body is blank, a
     * {@link BeforeSendLogHook} drops it, or the rate cap of {@link LogsConfig} is
     * reached; when the logs queue is full, the oldest record makes room. Never throws,
     * never blocks. The logs queue and its thread start with the first call.
     * @param options the record
     */
    default void captureLog(LogOptions options) {
    }

    /**
     * Captures an {@code INFO} log record (see {@link #captureLog(LogOptions)}).
     * @param body the message
     */
    default void captureLog(@Nullable String body) {
        captureLog(LogOptions.builder(body).build());
    }

    /**
     * Captures a log record (see {@link #captureLog(LogOptions)}).
     * @param severity the severity (null: {@code INFO})
     * @param body the message
     * @param attributes the attributes (copied), or null
     */
    default void captureLog(@Nullable LogSeverity severity, @Nullable String body,
            @Nullable Map<String, ?> attributes) {
        captureLog(LogOptions.builder(body).severity(severity).attributes(attributes).build());
    }

    /**
     * @return a logger with one method per severity, each the same as
     * {@link #captureLog(LogSeverity, String, Map)}
     */
    default PosthogLogger logger() {
        return this::captureLog;
    }

    // ------------------------------------------------------------------------------------------
    // traces

    /**
     * Starts a span, parented to the {@link #getActiveSpan() active span} if any, without
     * making it active. It is sent to {@code {host}/i/v1/traces} as an OpenTelemetry span
     * once {@link PosthogSpan#end()} is called. Prefer
     * {@link #withSpan(String, SpanCallback)}, which cannot forget to end it. Returns a
     * no-op span when tracing is off (no {@link TracesConfig}), the user opted out, the
     * client is closed, or too many spans are live. Never throws.
     * @param name a low-cardinality operation name ({@code GET /users/{id}}, not the id)
     * @return the span
     */
    default PosthogSpan startSpan(String name) {
        return startSpan(name, SpanOptions.none());
    }

    /**
     * Starts a span with options (kind, attributes, parent, start time); see
     * {@link #startSpan(String)}.
     * @param name a low-cardinality operation name
     * @param options the options
     * @return the span
     */
    default PosthogSpan startSpan(String name, SpanOptions options) {
        return PosthogSpan.noop();
    }

    /**
     * Runs work inside a new span, active on this thread while it runs, and ends the span
     * when it returns or throws. If it throws, the span gets status {@code error} (unless
     * the work set {@code ok}) and an {@code exception} event, and the exception reaches
     * the caller unchanged. With tracing off the work still runs, with a no-op span.
     * @param <T> the result type
     * @param <E> what the work may throw
     * @param name a low-cardinality operation name
     * @param work the work
     * @return what the work returned
     * @throws E what the work threw
     */
    default <T, E extends Throwable> T withSpan(String name, SpanCallback<T, E> work) throws E {
        return withSpan(name, SpanOptions.none(), work);
    }

    /**
     * Like {@link #withSpan(String, SpanCallback)}, with options.
     * @param <T> the result type
     * @param <E> what the work may throw
     * @param name a low-cardinality operation name
     * @param options the options
     * @param work the work
     * @return what the work returned
     * @throws E what the work threw
     */
    default <T, E extends Throwable> T withSpan(String name, SpanOptions options, SpanCallback<T, E> work) throws E {
        return work.call(PosthogSpan.noop());
    }

    /**
     * Runs asynchronous work inside a new span that ends when the returned stage
     * completes (exceptionally: status {@code error} and an {@code exception} event). The
     * span is active on this thread only while {@code work} runs; continuations on other
     * threads should use the span they were given.
     * @param <T> the result type
     * @param name a low-cardinality operation name
     * @param options the options
     * @param work the work, returning a stage
     * @return the stage {@code work} returned
     */
    default <T> java.util.concurrent.CompletionStage<T> withSpanAsync(String name, SpanOptions options,
            java.util.function.Function<PosthogSpan, ? extends java.util.concurrent.CompletionStage<T>> work) {
        return work.apply(PosthogSpan.noop());
    }

    /**
     * @return the span active on this thread for this client (inside
     * {@link #withSpan(String, SpanCallback)} or {@link PosthogSpan#activate()}), or null
     */
    default @Nullable PosthogSpan getActiveSpan() {
        return null;
    }

    /**
     * Sends an {@code $identify} event that sets person properties.
     * @param distinctId the person's distinct id; required
     * @param set properties to set ({@code $set}); may be null
     * @param setOnce properties to set only if not set yet ({@code $set_once}); may be
     * null
     */
    void identify(String distinctId, @Nullable Map<String, ?> set, @Nullable Map<String, ?> setOnce);

    /**
     * Sets person properties ({@code $set} event).
     * @param distinctId the person's distinct id; required
     * @param properties the properties to set
     */
    void set(String distinctId, Map<String, ?> properties);

    /**
     * Sets person properties only where they are not set yet ({@code $set} event with
     * {@code $set_once}).
     * @param distinctId the person's distinct id; required
     * @param properties the properties to set once
     */
    void setOnce(String distinctId, Map<String, ?> properties);

    /**
     * Links {@code alias} to {@code distinctId} ({@code $create_alias} event).
     * @param distinctId the person's current distinct id; required
     * @param alias the other id to merge into that person; required
     */
    void alias(String distinctId, String alias);

    /**
     * Sets the properties of a group ({@code $groupidentify} event).
     * @param groupType the group type, e.g. {@code company}; required
     * @param groupKey the group's key, e.g. its id; required
     * @param properties the group properties; may be null
     */
    void groupIdentify(String groupType, String groupKey, @Nullable Map<String, ?> properties);

    /**
     * Adds a super property: a property added to every event captured afterwards (an
     * event's own property of the same name wins).
     * @param key the property name
     * @param value the value
     */
    void register(String key, @Nullable Object value);

    /**
     * Removes a super property added with {@link #register} or configured on the builder.
     * @param key the property name
     */
    void unregister(String key);

    /**
     * Opts out at run time: until {@link #optIn()}, capture calls send nothing and return
     * null, flag calls make no request and return their defaults, and nothing of this is
     * counted as lost. Events queued before stay queued and are delivered. Thread-safe.
     */
    void optOut();

    /** Opts back in after {@link #optOut()}. */
    void optIn();

    /**
     * @return whether the client is opted out (see {@link #optOut()})
     */
    boolean isOptedOut();

    /**
     * Turns the client's verbose diagnostics on or off at run time: while on, every
     * request (endpoint, attempt, status, events, bytes, duration), every drop and every
     * accepted capture (event name and uuid, never properties) is logged at INFO on the
     * client's logger, written off the capturing thread. Sends nothing and makes no
     * request. Keys never appear.
     * @param enabled whether to log diagnostics
     */
    default void debug(boolean enabled) {
    }

    /** Turns the client's verbose diagnostics on (see {@link #debug(boolean)}). */
    default void debug() {
        debug(true);
    }

    /**
     * @return whether verbose diagnostics are on (see {@link #debug(boolean)})
     */
    default boolean isDebug() {
        return false;
    }

    /**
     * Sends everything captured before this call, ignoring the batch size and interval,
     * and waits until it has been sent or has definitively failed, at most for the
     * client's flush timeout. If the consumer threads are not running (a stopped or not
     * yet started client), the calling thread delivers the queue itself.
     * @return the number of events sent while this call waited
     */
    int flush();

    /**
     * Like {@link #flush()}, with an explicit bound on the wait.
     * @param timeout how long to wait at most
     * @return the number of events sent while this call waited
     */
    int flush(Duration timeout);

    // ------------------------------------------------------------------------------------------
    // feature flags
    // Defaults below answer as a client without flags would (unknown flag); the real
    // client overrides them all.

    /**
     * Whether a feature flag is on for the person of the current {@link PosthogContext}.
     * Without a context distinct id: false, and no request is made (flags are never
     * evaluated for a made-up person).
     * @param key the flag key
     * @return whether the flag is on
     */
    default boolean isFeatureEnabled(String key) {
        String distinctId = PosthogContext.currentDistinctId();
        return distinctId != null && isFeatureEnabled(key, distinctId);
    }

    /**
     * The value of a feature flag for the person of the current {@link PosthogContext}
     * (see {@link #getFeatureFlag(String, String)}). Without a context distinct id: null,
     * and no request is made.
     * @param key the flag key
     * @return the value, or null
     */
    default @Nullable Object getFeatureFlag(String key) {
        String distinctId = PosthogContext.currentDistinctId();
        return (distinctId != null) ? getFeatureFlag(key, distinctId) : null;
    }

    /**
     * The payload of a feature flag for the person of the current {@link PosthogContext}
     * (see {@link #getFeatureFlagPayload(String, String)}). Without a context distinct
     * id: null, and no request is made.
     * @param key the flag key
     * @return the payload JSON, or null
     */
    default @Nullable String getFeatureFlagPayload(String key) {
        String distinctId = PosthogContext.currentDistinctId();
        return (distinctId != null) ? getFeatureFlagPayload(key, distinctId) : null;
    }

    /**
     * Every feature flag's value for the person of the current {@link PosthogContext}.
     * Without a context distinct id: empty, and no request is made.
     * @return flag key to value; immutable
     */
    default Map<String, Object> getAllFlags() {
        String distinctId = PosthogContext.currentDistinctId();
        return (distinctId != null) ? getAllFlags(distinctId) : Map.of();
    }

    /**
     * Evaluates the flags of the person of the current {@link PosthogContext} (see
     * {@link #evaluateFlags(String)}). Without a context distinct id: an empty snapshot,
     * no request and no {@code $feature_flag_called} event.
     * @return the snapshot
     */
    default FeatureFlagEvaluations evaluateFlags() {
        String distinctId = PosthogContext.currentDistinctId();
        return (distinctId != null) ? evaluateFlags(distinctId) : FeatureFlagEvaluations.empty("");
    }

    /**
     * Whether a feature flag is on for a person (true, or any variant). Evaluated locally
     * when local evaluation is on and can decide, otherwise by a {@code /flags} request.
     * Captures {@code $feature_flag_called} unless turned off. Never throws: returns
     * false when the flag is unknown or PostHog cannot answer.
     * @param key the flag key
     * @param distinctId the person's distinct id
     * @return whether the flag is on
     */
    default boolean isFeatureEnabled(String key, String distinctId) {
        return isFeatureEnabled(key, distinctId, false, FlagOptions.none());
    }

    /**
     * Like {@link #isFeatureEnabled(String, String)}, with a value for when the flag
     * cannot be determined.
     * @param key the flag key
     * @param distinctId the person's distinct id
     * @param defaultValue returned when the flag is unknown or PostHog cannot answer
     * @return whether the flag is on, or {@code defaultValue}
     */
    default boolean isFeatureEnabled(String key, String distinctId, boolean defaultValue) {
        return isFeatureEnabled(key, distinctId, defaultValue, FlagOptions.none());
    }

    /**
     * Like {@link #isFeatureEnabled(String, String)}, with evaluation options.
     * @param key the flag key
     * @param distinctId the person's distinct id
     * @param options groups, properties and switches
     * @return whether the flag is on; false when it cannot be determined
     */
    default boolean isFeatureEnabled(String key, String distinctId, FlagOptions options) {
        return isFeatureEnabled(key, distinctId, false, options);
    }

    /**
     * Like {@link #isFeatureEnabled(String, String)}, with a default and evaluation
     * options.
     * @param key the flag key
     * @param distinctId the person's distinct id
     * @param defaultValue returned when the flag is unknown or PostHog cannot answer
     * @param options groups, properties and switches
     * @return whether the flag is on, or {@code defaultValue}
     */
    default boolean isFeatureEnabled(String key, String distinctId, boolean defaultValue, FlagOptions options) {
        return defaultValue;
    }

    /**
     * The value of a feature flag for a person: {@link Boolean} for boolean flags, the
     * variant {@link String} for multivariate flags, null when unknown or PostHog cannot
     * answer. Captures {@code $feature_flag_called} unless turned off. Never throws.
     * @param key the flag key
     * @param distinctId the person's distinct id
     * @return the value, or null
     */
    default @Nullable Object getFeatureFlag(String key, String distinctId) {
        return getFeatureFlag(key, distinctId, FlagOptions.none());
    }

    /**
     * Like {@link #getFeatureFlag(String, String)}, with evaluation options.
     * @param key the flag key
     * @param distinctId the person's distinct id
     * @param options groups, properties and switches
     * @return the value, or null
     */
    default @Nullable Object getFeatureFlag(String key, String distinctId, FlagOptions options) {
        FeatureFlagResult result = getFeatureFlagResult(key, distinctId, options);
        return (result != null) ? result.value() : null;
    }

    /**
     * The value, payload and reason of a feature flag for a person, in one evaluation.
     * Captures {@code $feature_flag_called} unless turned off. Never throws.
     * @param key the flag key
     * @param distinctId the person's distinct id
     * @return the result, or null when the flag is unknown or PostHog cannot answer
     */
    default @Nullable FeatureFlagResult getFeatureFlagResult(String key, String distinctId) {
        return getFeatureFlagResult(key, distinctId, FlagOptions.none());
    }

    /**
     * Like {@link #getFeatureFlagResult(String, String)}, with evaluation options.
     * @param key the flag key
     * @param distinctId the person's distinct id
     * @param options groups, properties and switches
     * @return the result, or null
     */
    default @Nullable FeatureFlagResult getFeatureFlagResult(String key, String distinctId, FlagOptions options) {
        return null;
    }

    /**
     * The payload configured for the value a feature flag has for a person, as JSON text.
     * Silent: no {@code $feature_flag_called} event. Never throws.
     * @param key the flag key
     * @param distinctId the person's distinct id
     * @return the payload JSON, or null when there is none or the flag cannot be
     * determined
     */
    default @Nullable String getFeatureFlagPayload(String key, String distinctId) {
        return getFeatureFlagPayload(key, distinctId, FlagOptions.none());
    }

    /**
     * Like {@link #getFeatureFlagPayload(String, String)}, with evaluation options.
     * @param key the flag key
     * @param distinctId the person's distinct id
     * @param options groups, properties and switches
     * @return the payload JSON, or null
     */
    default @Nullable String getFeatureFlagPayload(String key, String distinctId, FlagOptions options) {
        return null;
    }

    /**
     * The payload configured for a known value of a feature flag, as posthog-python's
     * {@code get_feature_flag_payload(key, distinct_id, match_value=...)}: from the local
     * definition when local evaluation has one (no evaluation, no request); otherwise the
     * flag is evaluated and its payload returned only when its value is
     * {@code matchValue}. Silent: no {@code $feature_flag_called} event. Never throws.
     * @param key the flag key
     * @param distinctId the person's distinct id
     * @param matchValue the value whose payload is wanted: {@link Boolean} or a variant
     * {@link String}; null means the flag's own value
     * @param options groups, properties and switches
     * @return the payload JSON, or null
     */
    default @Nullable String getFeatureFlagPayload(String key, String distinctId, @Nullable Object matchValue,
            FlagOptions options) {
        return (matchValue == null) ? getFeatureFlagPayload(key, distinctId, options) : null;
    }

    /**
     * Every feature flag's value for a person (at most one {@code /flags} request). No
     * {@code $feature_flag_called} events. Never throws: flags that cannot be determined
     * are left out.
     * @param distinctId the person's distinct id
     * @return flag key to value ({@link Boolean} or variant {@link String}); immutable,
     * possibly empty
     */
    default Map<String, Object> getAllFlags(String distinctId) {
        return getAllFlags(distinctId, FlagOptions.none());
    }

    /**
     * Like {@link #getAllFlags(String)}, with evaluation options
     * ({@link FlagOptions#flagKeys()} limits the flags).
     * @param distinctId the person's distinct id
     * @param options groups, properties and switches
     * @return flag key to value; immutable
     */
    default Map<String, Object> getAllFlags(String distinctId, FlagOptions options) {
        return getAllFlagsAndPayloads(distinctId, options).featureFlags();
    }

    /**
     * Every feature flag's value and payload for a person. No
     * {@code $feature_flag_called} events. Never throws.
     * @param distinctId the person's distinct id
     * @return the values and payloads
     */
    default FlagsAndPayloads getAllFlagsAndPayloads(String distinctId) {
        return getAllFlagsAndPayloads(distinctId, FlagOptions.none());
    }

    /**
     * Like {@link #getAllFlagsAndPayloads(String)}, with evaluation options.
     * @param distinctId the person's distinct id
     * @param options groups, properties and switches
     * @return the values and payloads
     */
    default FlagsAndPayloads getAllFlagsAndPayloads(String distinctId, FlagOptions options) {
        return new FlagsAndPayloads(Map.of(), Map.of());
    }

    /**
     * Evaluates a person's feature flags once (locally where possible, at most one
     * {@code /flags} request) and returns an immutable snapshot to read any number of
     * times and to attach to events with
     * {@link CaptureOptions.Builder#flags(FeatureFlagEvaluations)}. Reads of values
     * report {@code $feature_flag_called} lazily, when they happen. Never throws: flags
     * that cannot be determined are absent from the snapshot.
     * @param distinctId the person's distinct id
     * @return the snapshot
     */
    default FeatureFlagEvaluations evaluateFlags(String distinctId) {
        return evaluateFlags(distinctId, FlagOptions.none());
    }

    /**
     * Like {@link #evaluateFlags(String)}, with evaluation options
     * ({@link FlagOptions#flagKeys()} limits the flags, and the request).
     * @param distinctId the person's distinct id
     * @param options groups, properties and switches
     * @return the snapshot
     */
    default FeatureFlagEvaluations evaluateFlags(String distinctId, FlagOptions options) {
        return FeatureFlagEvaluations.empty(distinctId);
    }

    /**
     * Stores person properties that every later flag evaluation for this person uses
     * (merged under the properties passed to the call itself), for properties PostHog has
     * not ingested yet. Successive calls add to the stored properties; an empty map
     * changes nothing. No event is sent. Kept in memory, for a bounded number of persons
     * (least recently used forgotten first).
     * @param distinctId the person's distinct id
     * @param properties the properties
     */
    default void setPersonPropertiesForFlags(String distinctId, Map<String, ?> properties) {
    }

    /**
     * Forgets the person properties stored for flags of one person.
     * @param distinctId the person's distinct id
     */
    default void resetPersonPropertiesForFlags(String distinctId) {
    }

    /** Forgets every person property stored for flags. */
    default void resetPersonPropertiesForFlags() {
    }

    /**
     * Stores group properties that every later flag evaluation that includes this group
     * uses (merged under the group properties passed to the call itself). Successive
     * calls add to the stored properties. No event is sent.
     * @param groupType the group type, e.g. {@code company}
     * @param groupKey the group key, e.g. {@code acme}
     * @param properties the properties
     */
    default void setGroupPropertiesForFlags(String groupType, String groupKey, Map<String, ?> properties) {
    }

    /**
     * Forgets the group properties stored for flags of every group of one type.
     * @param groupType the group type
     */
    default void resetGroupPropertiesForFlags(String groupType) {
    }

    /** Forgets every group property stored for flags. */
    default void resetGroupPropertiesForFlags() {
    }

    /**
     * Shuts the client down: refuses further events (dropped as
     * {@link DropReason#CLOSED}), delivers what is queued within the shutdown timeout,
     * stops every thread. Events that could not be delivered in time are counted as
     * {@link DropReason#CLOSED} and logged. Idempotent; never throws.
     */
    @Override
    void close();

}
