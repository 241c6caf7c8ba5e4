package io.github.posthog4j.autoconfigure.web;

import io.github.posthog4j.autoconfigure.exceptions.PosthogExceptionCaptor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Sees every exception that escapes a Spring MVC handler, first of all resolvers, and
 * never resolves it (the response is whatever the application's resolvers make of it).
 * Client errors, clients that went away and ignored types are left out. Inside a request
 * that {@link PosthogRequestContextFilter} handles, it leaves the exception for the
 * filter, which knows at the end whether it escaped or became a 5xx or 4xx response;
 * without the filter ({@code posthog.web.enabled=false}) it captures at once, as an
 * exception that escaped the handler.
 */
final class PosthogHandlerExceptionResolver implements HandlerExceptionResolver, Ordered {

    private final PosthogExceptionCaptor captor;

    PosthogHandlerExceptionResolver(PosthogExceptionCaptor captor) {
        this.captor = captor;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public @Nullable ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response,
            @Nullable Object handler, Exception ex) {
        try {
            if (this.captor.isLeftOut(ex)) {
                return null;
            }
            if (request.getAttribute(
                    PosthogRequestContextFilter.PENDING) instanceof PosthogRequestContextFilter.PendingException p) {
                if (p.exception == null) {
                    p.exception = ex;
                }
            }
            else {
                this.captor.capture(ex, PosthogExceptionCaptor.Integration.MVC, false, "error",
                        PosthogExceptionCaptor.statusOf(ex));
            }
        }
        catch (RuntimeException failure) {
            // never change how the application's resolvers handle the request
        }
        return null;
    }

}
