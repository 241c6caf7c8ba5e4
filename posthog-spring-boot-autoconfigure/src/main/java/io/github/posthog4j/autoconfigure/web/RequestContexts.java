package io.github.posthog4j.autoconfigure.web;

import io.github.posthog4j.autoconfigure.PosthogWebProperties;
import io.github.posthog4j.client.PosthogContext;
import io.github.posthog4j.client.TracingHeaders;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@link PosthogContext} of a request, the same way for Spring MVC and
 * WebFlux: the sanitised tracing headers (sdk-specs {@code tracing-headers}), the
 * authenticated principal's name when {@code posthog.web.distinct-id-from-principal} is
 * on (it supersedes the header, which is client-controlled), and the request properties
 * that are turned on.
 */
final class RequestContexts {

    private static final String ANONYMOUS = "org.springframework.security.authentication.AnonymousAuthenticationToken";

    private final PosthogWebProperties web;

    RequestContexts(PosthogWebProperties web) {
        this.web = web;
    }

    boolean usesPrincipal() {
        return this.web.isDistinctIdFromPrincipal();
    }

    boolean wantsProperties() {
        return this.web.isRequestProperties() || this.web.isCaptureClientIp();
    }

    /**
     * @param distinctIds the values of {@code X-POSTHOG-DISTINCT-ID}, or null
     * @param sessionIds the values of {@code X-POSTHOG-SESSION-ID}, or null
     * @param principal the authenticated principal, or null
     * @param request the request's properties, or null when none are turned on
     * @return the context
     */
    PosthogContext build(@Nullable List<String> distinctIds, @Nullable List<String> sessionIds,
            @Nullable Principal principal, @Nullable Request request) {
        String distinctId = null;
        if (principal != null && this.web.isDistinctIdFromPrincipal() && !isAnonymous(principal)) {
            distinctId = TracingHeaders.sanitize(principal.getName());
        }
        if (distinctId == null) {
            distinctId = TracingHeaders.firstValid(distinctIds);
        }
        PosthogContext.Builder context = PosthogContext.builder()
            .distinctId(distinctId)
            .sessionId(TracingHeaders.firstValid(sessionIds));
        if (request != null) {
            context.properties(properties(request));
        }
        return context.build();
    }

    private Map<String, Object> properties(Request request) {
        Map<String, Object> props = new LinkedHashMap<>(8);
        if (this.web.isRequestProperties()) {
            props.put("$current_url", request.url());
            props.put("$request_method", request.method());
            props.put("$request_path", request.path());
            String agent = TracingHeaders.sanitize(request.userAgent());
            if (agent != null) {
                props.put("$user_agent", agent);
            }
        }
        if (this.web.isCaptureClientIp() && request.clientIp() != null) {
            props.put("$ip", request.clientIp());
        }
        return props;
    }

    private static boolean isAnonymous(Principal principal) {
        for (Class<?> c = principal.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(ANONYMOUS)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What a request tells about itself.
     *
     * @param url scheme, host, port and path, without the query string
     * @param method the HTTP method
     * @param path the path
     * @param userAgent the {@code User-Agent} header, or null
     * @param clientIp the client's address, or null
     */
    record Request(String url, String method, String path, @Nullable String userAgent, @Nullable String clientIp) {
    }

}
