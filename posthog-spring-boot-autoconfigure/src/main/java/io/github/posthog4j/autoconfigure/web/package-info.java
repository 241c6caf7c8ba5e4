/**
 * The web integration: a PostHog context per request (tracing headers, principal, request
 * properties) for Spring MVC and WebFlux, and the capture of exceptions that escape
 * request handlers.
 */
@NullMarked
package io.github.posthog4j.autoconfigure.web;

import org.jspecify.annotations.NullMarked;
