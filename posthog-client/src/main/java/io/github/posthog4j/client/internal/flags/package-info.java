/**
 * Local evaluation of PostHog feature flags.
 *
 * <p>
 * This package turns the document served by PostHog's local-evaluation endpoint
 * ({@code GET /api/feature_flag/local_evaluation/}: flags, group type mapping and
 * cohorts) into {@link io.github.posthog4j.client.internal.flags.FlagDefinitions} and
 * evaluates flags against a
 * {@link io.github.posthog4j.client.internal.flags.FlagEvaluationContext} with
 * {@link io.github.posthog4j.client.internal.flags.LocalFlagEvaluator}, without any
 * network call.
 *
 * <p>
 * The rules follow PostHog's reference server SDK (posthog-python) so that a locally
 * computed value is the value PostHog itself would return: SHA-1 based rollout and
 * variant bucketing, property operators (equality, string, regex, numeric, date, semver),
 * cohorts, group-aggregated flags, flag dependencies and payloads. Whenever the local
 * data cannot decide (a property is missing, an operator is unknown, a cohort is static,
 * experience continuity is on, ...) the result is <em>inconclusive</em> and the caller is
 * expected to ask PostHog's {@code /flags} endpoint instead.
 *
 * <p>
 * Everything here is pure Java (Jackson for JSON only), free of Spring and I/O, and
 * thread-safe: definitions are immutable and every evaluation uses its own scratch state.
 * The package is internal to the client; its types are not a supported public API.
 */
package io.github.posthog4j.client.internal.flags;
