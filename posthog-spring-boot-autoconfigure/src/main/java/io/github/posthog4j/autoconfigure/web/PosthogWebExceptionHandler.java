package io.github.posthog4j.autoconfigure.web;

import io.github.posthog4j.autoconfigure.exceptions.PosthogExceptionCaptor;
import io.github.posthog4j.client.PosthogContext;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Sees every exception that escapes WebFlux's handlers and filters, first of all
 * exception handlers, captures it unhandled in the exchange's PostHog context (client
 * errors, clients that went away and ignored types left out) and passes it on unchanged
 * to the next handler (Spring Boot's error handling).
 */
final class PosthogWebExceptionHandler implements WebExceptionHandler, Ordered {

    private final PosthogExceptionCaptor captor;

    PosthogWebExceptionHandler(PosthogExceptionCaptor captor) {
        this.captor = captor;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        try {
            if (!this.captor.isLeftOut(ex)) {
                PosthogContext context = exchange.getAttribute(PosthogWebFilter.ATTRIBUTE);
                try (PosthogContext.Scope scope = (context != null) ? context.makeCurrent()
                        : PosthogContext.builder().fresh().open()) {
                    this.captor.capture(ex, PosthogExceptionCaptor.Integration.WEBFLUX, false, "error",
                            PosthogExceptionCaptor.statusOf(ex));
                }
            }
        }
        catch (RuntimeException failure) {
            // never change how the exception is handled
        }
        return Mono.error(ex);
    }

}
