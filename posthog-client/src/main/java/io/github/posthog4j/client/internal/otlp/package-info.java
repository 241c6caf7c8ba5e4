/**
 * OpenTelemetry's wire shapes without OpenTelemetry: OTLP/JSON values, resources, log
 * records and spans, and W3C Trace Context ids, for the logs and traces pipelines.
 * Internal API.
 */
@NullMarked
package io.github.posthog4j.client.internal.otlp;

import org.jspecify.annotations.NullMarked;
