/**
 * The durable spool: a segmented write-ahead log of serialised events on disk. Internal
 * API.
 */
@NullMarked
package io.github.posthog4j.client.internal.spool;

import org.jspecify.annotations.NullMarked;
