package io.github.posthog4j.autoconfigure.web;

import io.github.posthog4j.client.PosthogClient;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/** A Spring MVC application for the web integration's tests. */
@Configuration(proxyBeanMethods = false)
@EnableWebMvc
@Import({ MvcTestApplication.Endpoints.class, MvcTestApplication.Advice.class })
class MvcTestApplication {

    /** Two concurrent requests meet here (the isolation test). */
    static final CyclicBarrier PAIR = new CyclicBarrier(2);

    @RestController
    static class Endpoints {

        private final PosthogClient posthog;

        Endpoints(PosthogClient posthog) {
            this.posthog = posthog;
        }

        @GetMapping("/work")
        String work(@RequestParam(defaultValue = "Backend Work") String event) {
            this.posthog.capture(null, event);
            return "ok";
        }

        @GetMapping("/explicit")
        String explicit() {
            this.posthog.capture("explicit-user", "Backend Work", Map.of("$session_id", "explicit-session"));
            return "ok";
        }

        @GetMapping("/flags")
        String flags() {
            return String.valueOf(this.posthog.evaluateFlags().keys());
        }

        @GetMapping("/pair")
        String pair(@RequestParam String event) throws Exception {
            PAIR.await(10, TimeUnit.SECONDS);
            this.posthog.capture(null, event);
            return "ok";
        }

        @GetMapping("/boom")
        String boom() {
            throw new IllegalStateException("boom");
        }

        @GetMapping("/checkout")
        String checkout() {
            throw new CheckoutFailed("payment provider down");
        }

        @GetMapping("/order")
        String order() {
            throw new OrderNotFound("no order 42");
        }

        @GetMapping("/not-found")
        String notFound() {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "nothing here");
        }

        @GetMapping("/unavailable")
        String unavailable() {
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "try later");
        }

        @GetMapping("/number")
        String number(@RequestParam int value) {
            return String.valueOf(value);
        }

        @GetMapping("/gone")
        String gone() throws IOException {
            throw new AsyncRequestNotUsableException("client gone", new IOException("Broken pipe"));
        }

        @GetMapping("/pipe")
        String pipe() throws IOException {
            throw new IOException("Broken pipe");
        }

        @GetMapping("/ignored")
        String ignored() {
            throw new IgnoredFailure("expected");
        }

        @GetMapping("/async-boom")
        Callable<String> asyncBoom() {
            return () -> {
                throw new IllegalStateException("async boom");
            };
        }

    }

    @RestControllerAdvice
    static class Advice {

        @ExceptionHandler(CheckoutFailed.class)
        ResponseEntity<Map<String, Object>> checkoutFailed(CheckoutFailed ex) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", "checkout_failed");
            body.put("detail", ex.getMessage());
            return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).header("X-Error", "checkout").body(body);
        }

        @ExceptionHandler(OrderNotFound.class)
        ResponseEntity<String> orderNotFound(OrderNotFound ex) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(ex.getMessage());
        }

    }

    static class CheckoutFailed extends RuntimeException {

        CheckoutFailed(String message) {
            super(message);
        }

    }

    static class OrderNotFound extends RuntimeException {

        OrderNotFound(String message) {
            super(message);
        }

    }

    static class IgnoredFailure extends RuntimeException {

        IgnoredFailure(String message) {
            super(message);
        }

    }

}
