package io.github.posthog4j.test;

/**
 * Entry point of the AssertJ assertions on a {@link PosthogRecorder}.
 *
 * <pre class="code">
 * import static io.github.posthog4j.test.PosthogAssertions.assertThat;
 *
 * assertThat(recorder).hasCaptured("order placed").forDistinctId("u1").withProperty("total", 42).once();
 * assertThat(recorder).hasNotCaptured("order cancelled");
 * assertThat(recorder).hasCalledFlag("new-checkout").forDistinctId("u1").times(1);
 * assertThat(recorder).hasCapturedException().ofType(IllegalStateException.class).withMessage("boom");
 * </pre>
 *
 * Each step narrows the events (or calls) that match and fails, listing what was
 * recorded, when none is left.
 */
public final class PosthogAssertions {

    private PosthogAssertions() {
    }

    /**
     * Starts an assertion on what the recorder holds.
     * @param recorder the recorder
     * @return the assertion
     */
    public static PosthogRecorderAssert assertThat(PosthogRecorder recorder) {
        return new PosthogRecorderAssert(recorder);
    }

}
