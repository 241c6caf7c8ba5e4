package io.github.posthog4j.client.internal.exceptions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The storm guard's sliding minute, on a clock the test moves. */
class ExceptionRateLimiterTests {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private final ExceptionRateLimiter limiter = new ExceptionRateLimiter(3, this.now::get);

    private void advanceSeconds(long s) {
        this.now.addAndGet(TimeUnit.SECONDS.toNanos(s));
    }

    @Test
    void atMostMaxPerMinuteInAnySlidingMinute() {
        assertThat(this.limiter.tryAcquire(1)).isTrue();
        advanceSeconds(20);
        assertThat(this.limiter.tryAcquire(1)).isTrue();
        assertThat(this.limiter.tryAcquire(1)).isTrue();
        assertThat(this.limiter.tryAcquire(1)).isFalse();
        advanceSeconds(39); // 59 s after the first
        assertThat(this.limiter.tryAcquire(1)).isFalse();
        advanceSeconds(1); // 60 s after the first: its slot is free
        assertThat(this.limiter.tryAcquire(1)).isTrue();
        assertThat(this.limiter.tryAcquire(1)).isFalse();
        advanceSeconds(20); // the two of second 20 are a minute old
        assertThat(this.limiter.tryAcquire(1)).isTrue();
        assertThat(this.limiter.tryAcquire(1)).isTrue();
        assertThat(this.limiter.tryAcquire(1)).isFalse();
    }

    @Test
    void fingerprintsAreCountedApart() {
        for (int i = 0; i < 3; i++) {
            assertThat(this.limiter.tryAcquire(1)).isTrue();
        }
        assertThat(this.limiter.tryAcquire(1)).isFalse();
        assertThat(this.limiter.tryAcquire(2)).isTrue();
    }

    @Test
    void trackedFingerprintsAreBounded() {
        for (long f = 0; f < ExceptionRateLimiter.MAX_FINGERPRINTS + 10; f++) {
            this.limiter.tryAcquire(f);
            this.limiter.tryAcquire(f);
            this.limiter.tryAcquire(f);
        }
        // the first fingerprint was forgotten (least recently seen): it starts afresh
        assertThat(this.limiter.tryAcquire(0)).isTrue();
        // a recent one is still limited
        assertThat(this.limiter.tryAcquire(ExceptionRateLimiter.MAX_FINGERPRINTS + 9)).isFalse();
    }

}
