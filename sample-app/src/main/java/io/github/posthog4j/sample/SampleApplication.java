package io.github.posthog4j.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A Spring MVC application that uses the PostHog starter the way an application would:
 * {@code posthog.*} in {@code application.yml} and an injected {@code PosthogClient}. By
 * default it sends to the {@link LocalSink} inside itself, so it runs without a PostHog
 * account; with {@code POSTHOG_API_KEY} and {@code POSTHOG_HOST} set it sends to PostHog.
 * Its home page is a live dashboard of the client ({@code static/index.html}).
 */
@SpringBootApplication
@EnableScheduling
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

}
