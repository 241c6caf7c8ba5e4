package io.github.posthog4j.autoconfigure.web;

import io.github.posthog4j.client.PosthogClient;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** A WebFlux application for the web integration's tests. */
@Configuration(proxyBeanMethods = false)
@EnableWebFlux
@Import(WebFluxTestApplication.Endpoints.class)
class WebFluxTestApplication {

    /** Plays an authentication filter: {@code X-Test-User} becomes the principal. */
    @Bean
    @Order(-200)
    WebFilter testAuthentication() {
        return (exchange, chain) -> {
            String user = exchange.getRequest().getHeaders().getFirst("X-Test-User");
            if (user == null) {
                return chain.filter(exchange);
            }
            return chain.filter(exchange.mutate()
                .principal(Mono.just(new UsernamePasswordAuthenticationToken(user, "pw", java.util.List.of())))
                .build());
        };
    }

    @RestController
    static class Endpoints {

        private final PosthogClient posthog;

        Endpoints(PosthogClient posthog) {
            this.posthog = posthog;
        }

        /** Captures on another thread than the request's, after a delay. */
        @GetMapping("/work")
        Mono<String> work(@RequestParam(defaultValue = "Backend Work") String event,
                @RequestParam(defaultValue = "0") long delayMillis) {
            return Mono.delay(Duration.ofMillis(delayMillis)).publishOn(Schedulers.boundedElastic()).map((tick) -> {
                this.posthog.capture(null, event);
                return Thread.currentThread().getName();
            });
        }

        @GetMapping("/boom")
        Mono<String> boom() {
            return Mono.fromCallable(() -> {
                throw new IllegalStateException("reactive boom");
            });
        }

        @GetMapping("/not-found")
        Mono<String> notFound() {
            return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "nothing here"));
        }

    }

}
