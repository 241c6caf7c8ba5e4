/**
 * Exception autocapture: what is left out (client errors, clients that went away, ignored
 * types), the {@code @Scheduled} error handler, the uncaught-exception handler and the
 * application's in-app packages.
 */
@NullMarked
package io.github.posthog4j.autoconfigure.exceptions;

import org.jspecify.annotations.NullMarked;
