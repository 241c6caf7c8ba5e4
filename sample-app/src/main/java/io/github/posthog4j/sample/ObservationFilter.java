package io.github.posthog4j.sample;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Which HTTP requests are observed (and so become spans): not the embedded sink's routes
 * (a span about delivering spans would send another one, for ever), nor the dashboard's
 * polling and scheduled jobs, the actuator or static files. A real application keeps its
 * own noise out the same way.
 */
@Configuration(proxyBeanMethods = false)
public class ObservationFilter {

    @Bean
    ObservationPredicate posthogSampleRequests() {
        return (name, context) -> {
            if ("tasks.scheduled.execution".equals(name)) {
                return false; // the dashboard's once-a-second jobs
            }
            if (context instanceof ServerRequestObservationContext request && request.getCarrier() != null) {
                String path = request.getCarrier().getRequestURI();
                return !(path.startsWith("/sink") || path.startsWith("/api/dashboard") || path.startsWith("/actuator")
                        || path.startsWith("/api/flags") || path.equals("/api/telemetry") || path.contains("."));
            }
            return true;
        };
    }

}
