/**
 * Feature flags: local evaluation, remote evaluation and everything around them.
 *
 * <p>
 * The client's core talks to
 * {@link io.github.posthog4j.client.internal.flags.FeatureFlags} only (and starts a
 * {@link io.github.posthog4j.client.internal.flags.FlagPoller} per delivery-engine run).
 * {@code FeatureFlags} evaluates local first and asks PostHog when the local answer is
 * inconclusive; each other job has its own part, handed narrow inputs (a settings
 * supplier, a request observer, a capture function, callbacks), never another part:
 * <ul>
 * <li>{@code RemoteFlags}: {@code POST /flags/?v=2}, its retry, parsing and error codes
 * ({@code RemoteFlag}, {@code RemoteMeta}, {@code RemoteAnswer});</li>
 * <li>{@code DefinitionsLoader}: the local-evaluation definitions with ETag, the last
 * good set, 401/402/403 handling; driven by {@code FlagPoller};</li>
 * <li>{@code StoredFlagProperties}: person and group properties for flags,
 * LRU-bounded;</li>
 * <li>{@code FlagCalledReporter} with {@code FlagCalledTracker}:
 * {@code $feature_flag_called} once per combination;</li>
 * <li>{@code FlagSnapshot}: the {@code evaluateFlags} snapshot;</li>
 * <li>{@code CaptureFlags}: {@code $feature/<key>} and {@code $active_feature_flags} for
 * captures;</li>
 * <li>{@code FlagsHttp} and {@code FlagRequests}: the flags HTTP client and its request
 * reports.</li>
 * </ul>
 *
 * <p>
 * The evaluator turns the document served by PostHog's local-evaluation endpoint
 * ({@code GET /api/feature_flag/local_evaluation/}: flags, group type mapping and
 * cohorts) into {@link io.github.posthog4j.client.internal.flags.FlagDefinitions} and
 * evaluates flags against a
 * {@link io.github.posthog4j.client.internal.flags.FlagEvaluationContext} with
 * {@link io.github.posthog4j.client.internal.flags.LocalFlagEvaluator}, without any
 * network call. The rules follow PostHog's reference server SDK (posthog-python) so that
 * a locally computed value is the value PostHog itself would return: SHA-1 based rollout
 * and variant bucketing, property operators (equality, string, regex, numeric, date,
 * semver), cohorts, group-aggregated flags, flag dependencies and payloads. Whenever the
 * local data cannot decide (a property is missing, an operator is unknown, a cohort is
 * static, experience continuity is on, ...) the result is <em>inconclusive</em> and the
 * caller is expected to ask PostHog's {@code /flags} endpoint instead. The evaluator is
 * pure Java (Jackson for JSON only), free of I/O, and thread-safe: definitions are
 * immutable and every evaluation uses its own scratch state.
 *
 * <p>
 * The package is internal to the client; its public types are internal API, not a
 * supported public API.
 */
@NullMarked
package io.github.posthog4j.client.internal.flags;

import org.jspecify.annotations.NullMarked;
