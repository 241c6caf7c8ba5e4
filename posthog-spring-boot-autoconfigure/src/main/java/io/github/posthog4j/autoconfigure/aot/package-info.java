/**
 * Spring AOT and native-image hints for the starter.
 */
@NullMarked
package io.github.posthog4j.autoconfigure.aot;

import org.jspecify.annotations.NullMarked;
