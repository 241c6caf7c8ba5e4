package io.github.posthog4j.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The start-up failure reports of {@link PosthogFailureAnalyzer} name the property to
 * set.
 */
class PosthogFailureAnalyzerTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PosthogAutoConfiguration.class));

    @Test
    void whenEnabledWithoutKeyShouldTellToSetApiKey() {
        FailureAnalysis analysis = analyze("posthog.enabled=true");
        assertThat(analysis.getDescription()).contains("posthog.api-key").contains("missing");
        assertThat(analysis.getAction()).contains("Set 'posthog.api-key'").contains("posthog.enabled=false");
    }

    @Test
    void whenHostInvalidShouldTellToSetHost() {
        FailureAnalysis analysis = analyze("posthog.api-key=phc_secret_key", "posthog.host=not a url");
        assertThat(analysis.getDescription()).contains("posthog.host").doesNotContain("phc_secret_key");
        assertThat(analysis.getAction()).contains("Set 'posthog.host'").contains("https://");
    }

    @Test
    void whenOtherSettingInvalidShouldNameItsProperty() {
        FailureAnalysis analysis = analyze("posthog.api-key=phc_k", "posthog.consumer-threads=99");
        assertThat(analysis.getDescription()).contains("posthog.consumer-threads");
        assertThat(analysis.getAction()).contains("posthog.consumer-threads");
    }

    private FailureAnalysis analyze(String... properties) {
        FailureAnalysis[] result = new FailureAnalysis[1];
        contextRunner.withPropertyValues(properties).run((context) -> {
            assertThat(context).hasFailed();
            result[0] = new PosthogFailureAnalyzer().analyze(context.getStartupFailure());
        });
        assertThat(result[0]).isNotNull();
        return result[0];
    }

}
