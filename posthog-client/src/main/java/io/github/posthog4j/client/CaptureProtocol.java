package io.github.posthog4j.client;

import java.util.Locale;

/**
 * The wire protocol that carries analytics events to PostHog. An SDK speaks one at a
 * time; feature flags and AI events ({@link PosthogClient#captureAi}) are not affected.
 */
public enum CaptureProtocol {

    /**
     * {@code POST /batch/} with the API key in the body; the default until PostHog calls
     * v1 stable.
     */
    V0,

    /**
     * {@code POST /i/v1/analytics/events}: {@code Authorization: Bearer} and
     * {@code PostHog-*} headers ({@code PostHog-Request-Id} kept and
     * {@code PostHog-Attempt} counted across retries), a {@code created_at} envelope,
     * per-event {@code options}, and per-event results: only the events PostHog asks to
     * retry are sent again.
     */
    V1;

    /**
     * @return the lower-case name used in properties and logs, e.g. {@code v1}
     */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

}
