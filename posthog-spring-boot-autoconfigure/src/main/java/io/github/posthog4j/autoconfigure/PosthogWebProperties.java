package io.github.posthog4j.autoconfigure;

/**
 * Web integration settings, {@code posthog.web.*}: every request of a Spring MVC or
 * WebFlux application gets a PostHog context, so that captures made while handling it go
 * to the frontend's user and session.
 */
public class PosthogWebProperties {

    /**
     * Whether each request gets a PostHog context from the X-POSTHOG-DISTINCT-ID and
     * X-POSTHOG-SESSION-ID headers that posthog-js sends (sanitised; analytics context
     * only, never used to authenticate).
     */
    private boolean enabled = true;

    /**
     * Whether the authenticated user's name (the request's principal, Spring Security's
     * Authentication) is the distinct id of the request's context; it takes precedence
     * over the X-POSTHOG-DISTINCT-ID header. Anonymous users are ignored.
     */
    private boolean distinctIdFromPrincipal;

    /**
     * Whether events captured during a request carry $current_url (without the query
     * string, which often carries tokens), $request_method, $request_path and
     * $user_agent.
     */
    private boolean requestProperties = true;

    /**
     * Whether events captured during a request carry the client's IP address as $ip (used
     * by PostHog for GeoIP). Off for privacy.
     */
    private boolean captureClientIp;

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isDistinctIdFromPrincipal() {
        return this.distinctIdFromPrincipal;
    }

    public void setDistinctIdFromPrincipal(boolean distinctIdFromPrincipal) {
        this.distinctIdFromPrincipal = distinctIdFromPrincipal;
    }

    public boolean isRequestProperties() {
        return this.requestProperties;
    }

    public void setRequestProperties(boolean requestProperties) {
        this.requestProperties = requestProperties;
    }

    public boolean isCaptureClientIp() {
        return this.captureClientIp;
    }

    public void setCaptureClientIp(boolean captureClientIp) {
        this.captureClientIp = captureClientIp;
    }

}
