package io.github.posthog4j.autoconfigure.traces;

import io.github.posthog4j.client.PosthogContext;
import io.micrometer.observation.Observation;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/**
 * The PostHog context of a server request observation, left by the starter's request
 * context filter (servlet) or web filter (WebFlux) in the request's or exchange's
 * attributes: the server observation starts before those filters run, so its span cannot
 * take the context at its start.
 */
final class RequestContextReader implements Function<Observation.Context, @Nullable PosthogContext> {

    /** The servlet filter's request attribute. */
    static final String SERVLET_ATTRIBUTE = "io.github.posthog4j.autoconfigure.web.PosthogRequestContextFilter.CONTEXT";

    /** The WebFlux filter's exchange attribute. */
    static final String REACTIVE_ATTRIBUTE = "io.github.posthog4j.autoconfigure.web.PosthogWebFilter.CONTEXT";

    private static final boolean SERVLET = ClassUtils.isPresent("jakarta.servlet.http.HttpServletRequest",
            RequestContextReader.class.getClassLoader());

    @Override
    public @Nullable PosthogContext apply(Observation.Context context) {
        try {
            if (context instanceof org.springframework.http.server.reactive.observation.ServerRequestObservationContext reactive) {
                return (reactive.getAttributes().get(REACTIVE_ATTRIBUTE) instanceof PosthogContext c) ? c : null;
            }
            if (SERVLET) {
                return Servlet.of(context);
            }
        }
        catch (RuntimeException | LinkageError ex) {
            // no context
        }
        return null;
    }

    /** Loaded only when the servlet API is present. */
    private static final class Servlet {

        static @Nullable PosthogContext of(Observation.Context context) {
            if (context instanceof org.springframework.http.server.observation.ServerRequestObservationContext servlet
                    && servlet.getCarrier() != null
                    && servlet.getCarrier().getAttribute(SERVLET_ATTRIBUTE) instanceof PosthogContext c) {
                return c;
            }
            return null;
        }

    }

}
