package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.ExceptionOptions;
import io.github.posthog4j.client.internal.exceptions.ExceptionFingerprints;
import io.github.posthog4j.client.internal.exceptions.ExceptionPayload;
import io.github.posthog4j.client.internal.exceptions.ExceptionRateLimiter;
import io.github.posthog4j.client.internal.exceptions.InAppFrames;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code captureException} on the caller's thread: the exception read into PostHog's
 * {@code $exception} properties, the storm guard (the same exception at most
 * {@code maxExceptionsPerMinute} times a minute, the rest counted
 * {@link DropReason#RATE_LIMITED}), then the ordinary capture path (context, hooks,
 * queue). Never throws, never logs on the caller's thread.
 */
final class ExceptionCapture {

    /** The capture path the event joins. */
    interface Capture {

        @Nullable String capture(@Nullable String distinctId, String event, Map<String, ?> properties);

    }

    private final Supplier<ClientSettings> settings;

    private final Drops drops;

    private final BooleanSupplier optedOut;

    private final Capture capture;

    private volatile Rules rules;

    /** The in-app rule and the limiter of one set of settings. */
    private record Rules(ExceptionSettings settings, InAppFrames inApp, ExceptionRateLimiter limiter) {
    }

    ExceptionCapture(Supplier<ClientSettings> settings, Drops drops, BooleanSupplier optedOut, Capture capture) {
        this.settings = settings;
        this.drops = drops;
        this.optedOut = optedOut;
        this.capture = capture;
        this.rules = rules(settings.get().exceptions());
    }

    private static Rules rules(ExceptionSettings s) {
        return new Rules(s, InAppFrames.of(s.inAppPackages()),
                new ExceptionRateLimiter(s.maxPerMinute(), System::nanoTime));
    }

    @Nullable String capture(@Nullable ExceptionOptions options) {
        if (this.optedOut.getAsBoolean()) {
            return null;
        }
        if (options == null || (options.exception() == null && options.message() == null)) {
            this.drops.dropped(DropReason.INVALID, 1,
                    () -> "captureException() was called without an exception; nothing was captured");
            return null;
        }
        try {
            Rules r = currentRules();
            Map<String, @Nullable Object> props = ExceptionPayload.of(options, r.inApp());
            if (props == null) {
                return null;
            }
            if (!r.limiter().tryAcquire(ExceptionFingerprints.of(props))) {
                Object type = props.get("$exception_type");
                this.drops.dropped(DropReason.RATE_LIMITED, 1,
                        () -> "Dropped $exception " + Texts.abbreviate(String.valueOf(type))
                                + ": the same exception was captured more than " + r.limiter().maxPerMinute()
                                + " times in the last minute (raise maxExceptionsPerMinute, "
                                + "posthog.exceptions.max-per-minute, to keep more)");
                return null;
            }
            return this.capture.capture(options.distinctId(), ExceptionPayload.EVENT, props);
        }
        catch (RuntimeException | StackOverflowError ex) {
            this.drops.dropped(DropReason.INVALID, 1,
                    () -> "captureException() could not read the exception: " + ex.getClass().getName());
            return null;
        }
    }

    private Rules currentRules() {
        ExceptionSettings now = this.settings.get().exceptions();
        Rules r = this.rules;
        if (!r.settings().equals(now)) {
            r = rules(now);
            this.rules = r;
        }
        return r;
    }

}
