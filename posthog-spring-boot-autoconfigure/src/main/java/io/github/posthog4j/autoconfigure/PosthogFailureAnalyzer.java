package io.github.posthog4j.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up failure caused by {@code posthog.*} properties and names the
 * property to set.
 */
public final class PosthogFailureAnalyzer extends AbstractFailureAnalyzer<InvalidPosthogPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidPosthogPropertyException cause) {
        String property = cause.getProperty();
        String description = "The PostHog client could not be configured: " + cause.getMessage() + " (property '"
                + property + "').";
        String action;
        if ("posthog.api-key".equals(property)) {
            action = "Set 'posthog.api-key' to your PostHog project API key (phc_...), for example through the "
                    + "POSTHOG_API_KEY environment variable referenced from application.yml, or set "
                    + "'posthog.enabled=false' to run without PostHog.";
        }
        else if ("posthog.host".equals(property)) {
            action = "Set 'posthog.host' to an absolute http(s) URL such as https://us.i.posthog.com or "
                    + "https://eu.i.posthog.com.";
        }
        else {
            action = "Fix '" + property + "' in your configuration, or remove it to use the default.";
        }
        return new FailureAnalysis(description, action, cause);
    }

}
