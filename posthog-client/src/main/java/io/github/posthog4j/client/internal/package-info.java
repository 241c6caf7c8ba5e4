/**
 * The client's parts: capture pipeline, queue and dispatcher, spool pump, outage backoff,
 * delivery engine, flush coordination, HTTP. Internal API: public types here are public
 * only so that the client's packages can reach each other, and may change in any release.
 */
@NullMarked
package io.github.posthog4j.client.internal;

import org.jspecify.annotations.NullMarked;
