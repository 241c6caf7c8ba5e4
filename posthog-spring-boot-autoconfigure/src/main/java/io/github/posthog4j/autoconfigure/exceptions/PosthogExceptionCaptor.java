package io.github.posthog4j.autoconfigure.exceptions;

import io.github.posthog4j.client.ExceptionOptions;
import io.github.posthog4j.client.PosthogClient;
import java.util.List;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * What the starter's exception integrations share: which exceptions are left out, and the
 * capture itself with the integration's metadata ({@code mechanism.type},
 * {@code handled}, {@code $exception_source}, {@code $exception_level}). Left out:
 * <ul>
 * <li>client errors: an {@link ErrorResponse} (such as {@code ResponseStatusException})
 * or a {@link ResponseStatus @ResponseStatus} type with a 4xx status, the Spring MVC
 * exceptions that become a 400, and Spring Security's authentication and access-denied
 * exceptions;</li>
 * <li>a client that went away (broken pipe, connection reset,
 * {@code AsyncRequestNotUsableException}, ...);</li>
 * <li>the types of {@code posthog.exceptions.ignored} and their subclasses.</li>
 * </ul>
 * Capturing never throws. Internal API of the starter.
 */
public final class PosthogExceptionCaptor {

    /** {@code $exception_source} of failures that escaped Spring MVC's handlers. */
    public static final String MVC = "spring.mvc_exception_resolver";

    /** {@code $exception_source} of failures that escaped a servlet filter. */
    public static final String SERVLET_FILTER = "spring.servlet_filter";

    /** {@code $exception_source} of failures that escaped Spring WebFlux's handlers. */
    public static final String WEBFLUX = "spring.webflux_exception_handler";

    /** {@code $exception_source} of failed {@code @Scheduled} tasks. */
    public static final String SCHEDULED = "spring.scheduled_error_handler";

    /**
     * {@code $exception_source} of uncaught exceptions (the same as PostHog's
     * posthog-server).
     */
    public static final String UNCAUGHT = "jvm.uncaught_exception_handler";

    private static final Log log = LogFactory.getLog(PosthogExceptionCaptor.class);

    /** Client errors that are not {@link ErrorResponse}s: status 400, 401 or 403. */
    private static final Set<String> CLIENT_ERRORS = Set.of("org.springframework.beans.TypeMismatchException",
            "org.springframework.http.converter.HttpMessageNotReadableException",
            "org.springframework.validation.BindException", "org.springframework.security.access.AccessDeniedException",
            "org.springframework.security.core.AuthenticationException");

    /** Server errors among the subclasses of {@link #CLIENT_ERRORS}. */
    private static final Set<String> SERVER_ERRORS = Set
        .of("org.springframework.beans.ConversionNotSupportedException");

    private final PosthogClient client;

    private final List<String> ignored;

    /**
     * @param client the client to capture with
     * @param ignored fully qualified names of types never captured (with subclasses)
     */
    public PosthogExceptionCaptor(PosthogClient client, List<String> ignored) {
        this.client = client;
        this.ignored = List.copyOf(ignored);
    }

    /**
     * @param ex an exception an integration saw
     * @return whether it is left out (a client error, a client gone, an ignored type)
     */
    public boolean isLeftOut(Throwable ex) {
        try {
            if (isA(ex, this.ignored) || isClientGone(ex)) {
                return true;
            }
            Integer status = statusOf(ex);
            return status != null && status >= 400 && status < 500;
        }
        catch (RuntimeException | LinkageError failure) {
            return false;
        }
    }

    /**
     * @param ex an exception
     * @return the HTTP status it stands for (an {@link ErrorResponse}, a
     * {@link ResponseStatus @ResponseStatus} type, a known client error), or null
     */
    public static @Nullable Integer statusOf(Throwable ex) {
        if (ex instanceof ErrorResponse response) {
            return response.getStatusCode().value();
        }
        ResponseStatus annotated = AnnotatedElementUtils.findMergedAnnotation(ex.getClass(), ResponseStatus.class);
        if (annotated != null) {
            return annotated.code().value();
        }
        if (isA(ex, SERVER_ERRORS)) {
            return 500;
        }
        for (Class<?> c = ex.getClass(); c != null; c = c.getSuperclass()) {
            String name = c.getName();
            if (CLIENT_ERRORS.contains(name)) {
                return name.endsWith("AuthenticationException") ? 401
                        : name.endsWith("AccessDeniedException") ? 403 : 400;
            }
        }
        return null;
    }

    private static boolean isClientGone(Throwable ex) {
        Throwable t = ex;
        for (int i = 0; t != null && i < 10; i++) {
            if (DisconnectedClientHelper.isClientDisconnectedException(t)) {
                return true;
            }
            t = (t.getCause() != t) ? t.getCause() : null;
        }
        return false;
    }

    private static boolean isA(Throwable ex, java.util.Collection<String> typeNames) {
        if (typeNames.isEmpty()) {
            return false;
        }
        for (Class<?> c = ex.getClass(); c != null; c = c.getSuperclass()) {
            if (typeNames.contains(c.getName())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Captures an exception with an integration's metadata, in the current PostHog
     * context. Never throws.
     * @param ex the exception
     * @param integration the capturing integration
     * @param handled whether the application handled it at that boundary
     * @param level the {@code $exception_level}
     * @param status the HTTP status of the failed request, or null
     * @return the event's UUID, or null
     */
    public @Nullable String capture(Throwable ex, Integration integration, boolean handled, String level,
            @Nullable Integer status) {
        try {
            ExceptionOptions.Builder options = ExceptionOptions.builder(ex)
                .mechanismType(integration.mechanismType())
                .handled(handled)
                .exceptionSource(integration.source())
                .level(level);
            if (status != null) {
                options.property("$response_status_code", status);
            }
            return this.client.captureException(options.build());
        }
        catch (RuntimeException | LinkageError failure) {
            log.debug("Could not capture an exception for PostHog", failure);
            return null;
        }
    }

    /**
     * An integration that captures exceptions.
     *
     * @param source its {@code $exception_source}
     * @param mechanismType its {@code mechanism.type}
     */
    public record Integration(String source, String mechanismType) {

        /** Spring MVC's handlers. */
        public static final Integration MVC = new Integration(PosthogExceptionCaptor.MVC, "middleware");

        /** A servlet filter. */
        public static final Integration SERVLET_FILTER = new Integration(PosthogExceptionCaptor.SERVLET_FILTER,
                "middleware");

        /** Spring WebFlux's handlers. */
        public static final Integration WEBFLUX = new Integration(PosthogExceptionCaptor.WEBFLUX, "middleware");

        /** {@code @Scheduled} tasks. */
        public static final Integration SCHEDULED = new Integration(PosthogExceptionCaptor.SCHEDULED, "task");

        /** The uncaught-exception handler. */
        public static final Integration UNCAUGHT = new Integration(PosthogExceptionCaptor.UNCAUGHT,
                "onuncaughtexception");

    }

}
