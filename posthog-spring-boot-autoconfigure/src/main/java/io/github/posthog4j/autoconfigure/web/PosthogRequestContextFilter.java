package io.github.posthog4j.autoconfigure.web;

import io.github.posthog4j.autoconfigure.exceptions.PosthogExceptionCaptor;
import io.github.posthog4j.client.PosthogContext;
import io.github.posthog4j.client.TracingHeaders;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives each servlet request its PostHog context (tracing headers, principal, request
 * properties) for as long as it is handled, on the request's dispatch and on its async
 * dispatches. With exception autocapture it also decides what becomes an
 * {@code $exception} event:
 * <ul>
 * <li>an exception that escapes the request (no resolver handled it): captured unhandled,
 * and rethrown untouched;</li>
 * <li>an exception that Spring MVC's resolvers turned into a response (an
 * {@code @ExceptionHandler}, a {@code ResponseStatusException}): captured handled, with
 * {@code $response_status_code}, when that response is a 5xx; left out when the
 * application made it a 4xx.</li>
 * </ul>
 * Runs just after Spring Security's filter chain (order -100), so that the principal is
 * known. Never changes the request or the response.
 */
final class PosthogRequestContextFilter extends OncePerRequestFilter implements Ordered {

    /** The filter's order: after Spring Security's filter chain. */
    static final int ORDER = -90;

    /**
     * The request attribute holding the request's PostHog context (for the traces bridge:
     * the server request's observation starts before this filter runs).
     */
    static final String CONTEXT = PosthogRequestContextFilter.class.getName() + ".CONTEXT";

    /** The request attribute where the exception resolver leaves what it saw. */
    static final String PENDING = PosthogRequestContextFilter.class.getName() + ".PENDING";

    private final RequestContexts contexts;

    private final @Nullable PosthogExceptionCaptor captor;

    PosthogRequestContextFilter(RequestContexts contexts, @Nullable PosthogExceptionCaptor captor) {
        this.contexts = contexts;
        this.captor = captor;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false; // the async dispatch runs on another thread: it needs the context
                      // too
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        PendingException pending = pending(request);
        PosthogContext context = context(request);
        request.setAttribute(CONTEXT, context);
        try (PosthogContext.Scope scope = context.makeCurrent()) {
            try {
                chain.doFilter(request, response);
            }
            catch (ServletException | IOException | RuntimeException | Error ex) {
                if (pending != null) {
                    escaped(pending, ex);
                }
                throw ex;
            }
            if (pending != null && !request.isAsyncStarted()) {
                resolved(pending, response.getStatus());
            }
        }
    }

    private @Nullable PendingException pending(HttpServletRequest request) {
        if (this.captor == null) {
            return null;
        }
        if (request.getAttribute(PENDING) instanceof PendingException existing) {
            return existing; // an async dispatch of the same request
        }
        PendingException created = new PendingException();
        request.setAttribute(PENDING, created);
        return created;
    }

    private PosthogContext context(HttpServletRequest request) {
        try {
            RequestContexts.Request properties = null;
            if (this.contexts.wantsProperties()) {
                properties = new RequestContexts.Request(request.getRequestURL().toString(), request.getMethod(),
                        request.getRequestURI(), request.getHeader("User-Agent"), request.getRemoteAddr());
            }
            return this.contexts.build(values(request, TracingHeaders.DISTINCT_ID),
                    values(request, TracingHeaders.SESSION_ID),
                    this.contexts.usesPrincipal() ? request.getUserPrincipal() : null, properties);
        }
        catch (RuntimeException ex) {
            // fail open: a malformed request is handled without a context
            return PosthogContext.builder().build();
        }
    }

    private static @Nullable List<String> values(HttpServletRequest request, String header) {
        Enumeration<String> values = request.getHeaders(header);
        return (values != null) ? Collections.list(values) : null;
    }

    /** An exception escaped the request: unhandled. */
    private void escaped(PendingException pending, Throwable thrown) {
        PosthogExceptionCaptor c = this.captor;
        if (c == null || pending.reported) {
            return;
        }
        pending.reported = true;
        boolean resolverSawIt = pending.exception != null;
        Throwable ex = resolverSawIt ? pending.exception : unwrap(thrown);
        if (ex != null && (resolverSawIt || !c.isLeftOut(ex))) {
            c.capture(ex,
                    resolverSawIt ? PosthogExceptionCaptor.Integration.MVC
                            : PosthogExceptionCaptor.Integration.SERVLET_FILTER,
                    false, "error", PosthogExceptionCaptor.statusOf(ex));
        }
    }

    /** The request completed: an exception a resolver turned into a 5xx was handled. */
    private void resolved(PendingException pending, int status) {
        PosthogExceptionCaptor c = this.captor;
        Throwable ex = pending.exception;
        if (c == null || ex == null || pending.reported) {
            return;
        }
        pending.reported = true;
        if (status >= 500) {
            c.capture(ex, PosthogExceptionCaptor.Integration.MVC, true, "error", status);
        }
    }

    /** The container's and Spring's wrappers of what a handler threw. */
    private static @Nullable Throwable unwrap(Throwable thrown) {
        Throwable t = thrown;
        while (t instanceof ServletException && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * The exception Spring MVC's resolvers saw during this request (the first one), and
     * whether it was reported.
     */
    static final class PendingException {

        @Nullable Throwable exception;

        boolean reported;

    }

}
