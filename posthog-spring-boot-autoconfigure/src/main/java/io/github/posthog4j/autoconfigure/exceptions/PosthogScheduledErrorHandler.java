package io.github.posthog4j.autoconfigure.exceptions;

import org.springframework.scheduling.support.TaskUtils;
import org.springframework.util.ErrorHandler;

/**
 * The task scheduler's error handler: captures the failure of a scheduled task
 * ({@code mechanism.type task}, unhandled, {@code $exception_source
 * spring.scheduled_error_handler}), then logs it and lets the schedule go on, as Spring
 * does for {@code @Scheduled} tasks without an error handler.
 */
final class PosthogScheduledErrorHandler implements ErrorHandler {

    private final PosthogExceptionCaptor captor;

    private final ErrorHandler delegate = TaskUtils.getDefaultErrorHandler(true);

    PosthogScheduledErrorHandler(PosthogExceptionCaptor captor) {
        this.captor = captor;
    }

    @Override
    public void handleError(Throwable t) {
        if (!this.captor.isLeftOut(t)) {
            this.captor.capture(t, PosthogExceptionCaptor.Integration.SCHEDULED, false, "error", null);
        }
        this.delegate.handleError(t);
    }

}
