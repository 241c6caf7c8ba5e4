package io.github.posthog4j.test;

import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Empties every {@link PosthogRecorder} of a test's application context after each test
 * method, so that a cached context shared by several tests never shows one test the
 * events, flag calls or fixed flags of another. Does nothing for contexts that were not
 * loaded or have no recorder.
 */
class PosthogRecorderResetTestExecutionListener extends AbstractTestExecutionListener {

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 100;
    }

    @Override
    public void afterTestMethod(TestContext testContext) {
        if (testContext.hasApplicationContext()) {
            ApplicationContext context = testContext.getApplicationContext();
            if (context.getBeanNamesForType(PosthogRecorder.class, false, false).length > 0) {
                context.getBeanProvider(PosthogRecorder.class).forEach(PosthogRecorder::reset);
            }
        }
    }

}
