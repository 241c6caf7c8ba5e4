package io.github.posthog4j.autoconfigure.web;

import io.github.posthog4j.client.PosthogContext;
import io.github.posthog4j.client.TracingHeaders;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives each WebFlux exchange its PostHog context (tracing headers, principal, request
 * properties): in the Reactor context under {@link #CONTEXT_KEY}, which Micrometer's
 * context-propagation restores as the thread-local context in every operator when
 * {@code spring.reactor.context-propagation=auto}, and as the exchange attribute
 * {@link #ATTRIBUTE}, for the exception handler. Runs just after Spring Security's web
 * filter chain (order -100). Never changes the exchange.
 */
final class PosthogWebFilter implements WebFilter, Ordered {

    /**
     * The Reactor context key: the key of the starter's context-propagation
     * {@code ThreadLocalAccessor}.
     */
    static final String CONTEXT_KEY = "posthog.context";

    /** The exchange attribute holding the exchange's context. */
    static final String ATTRIBUTE = PosthogWebFilter.class.getName() + ".CONTEXT";

    private final RequestContexts contexts;

    PosthogWebFilter(RequestContexts contexts) {
        this.contexts = contexts;
    }

    @Override
    public int getOrder() {
        return PosthogRequestContextFilter.ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!this.contexts.usesPrincipal()) {
            return run(exchange, chain, context(exchange, null));
        }
        return exchange.getPrincipal()
            .map((principal) -> context(exchange, principal))
            .onErrorResume((ex) -> Mono.empty())
            .switchIfEmpty(Mono.fromSupplier(() -> context(exchange, null)))
            .flatMap((context) -> run(exchange, chain, context));
    }

    private static Mono<Void> run(ServerWebExchange exchange, WebFilterChain chain, PosthogContext context) {
        exchange.getAttributes().put(ATTRIBUTE, context);
        return chain.filter(exchange).contextWrite((reactor) -> reactor.put(CONTEXT_KEY, context));
    }

    private static @Nullable List<String> first(ServerHttpRequest request, String header) {
        String value = request.getHeaders().getFirst(header);
        return (value != null) ? List.of(value) : null;
    }

    private PosthogContext context(ServerWebExchange exchange, @Nullable Principal principal) {
        try {
            ServerHttpRequest request = exchange.getRequest();
            RequestContexts.Request properties = null;
            if (this.contexts.wantsProperties()) {
                URI uri = request.getURI();
                InetSocketAddress remote = request.getRemoteAddress();
                String ip = (remote != null && remote.getAddress() != null) ? remote.getAddress().getHostAddress()
                        : null;
                properties = new RequestContexts.Request(
                        uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath(), request.getMethod().name(),
                        uri.getRawPath(), request.getHeaders().getFirst("User-Agent"), ip);
            }
            // getFirst(String) links against Spring 6.2 and 7 alike (HttpHeaders.get does
            // not)
            return this.contexts.build(first(request, TracingHeaders.DISTINCT_ID),
                    first(request, TracingHeaders.SESSION_ID), principal, properties);
        }
        catch (RuntimeException ex) {
            return PosthogContext.builder().build(); // fail open
        }
    }

}
