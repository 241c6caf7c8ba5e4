package io.github.posthog4j.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.BeforeSendHook;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogEvent;
import io.github.posthog4j.testsupport.PosthogStandIn;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Conditions of {@link PosthogAutoConfiguration}: which client bean exists, and how it is
 * built.
 */
@ExtendWith(OutputCaptureExtension.class)
class PosthogAutoConfigurationTests {

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PosthogAutoConfiguration.class))
        .withPropertyValues("posthog.host=" + posthog.url(), "posthog.flush-interval=50ms");

    @AfterEach
    void tearDown() {
        posthog.close();
    }

    @Test
    void whenApiKeySetShouldProvideStoppedManagedClientWithLifecycle() {
        int before = PosthogThreads.count();
        contextRunner.withPropertyValues("posthog.api-key=phc_test").run((context) -> {
            assertThat(context).hasSingleBean(PosthogClient.class).hasSingleBean(PosthogLifecycle.class);
            ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
            assertThat(client.isRunning()).isFalse();
            assertThat(PosthogThreads.count()).isEqualTo(before);
            assertThat(context.getBean(PosthogLifecycle.class).getPhase()).isEqualTo(Integer.MAX_VALUE / 2 - 1024);
        });
    }

    @Test
    void whenNoApiKeyShouldProvideDisabledClientAndWarnOnce(CapturedOutput output) {
        contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(PosthogClient.class)
                .doesNotHaveBean(ManagedPosthogClient.class)
                .doesNotHaveBean(PosthogLifecycle.class);
            PosthogClient client = context.getBean(PosthogClient.class);
            assertThat(client.capture("u", "ignored")).isNull();
            assertThat(client.flush()).isZero();
        });
        assertThat(output.getOut().split("posthog.api-key is not set", -1)).hasSize(2);
        assertThat(posthog.requests()).isEmpty();
    }

    @Test
    void whenDisabledShouldProvideDisabledClientEvenWithKey() {
        contextRunner.withPropertyValues("posthog.enabled=false", "posthog.api-key=phc_test").run((context) -> {
            assertThat(context).hasSingleBean(PosthogClient.class).doesNotHaveBean(ManagedPosthogClient.class);
            assertThat(context.getBean(PosthogClient.class)).isInstanceOf(DisabledPosthogClient.class);
        });
    }

    @Test
    void whenEnabledWithoutApiKeyShouldFailNamingTheProperty() {
        contextRunner.withPropertyValues("posthog.enabled=true").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(io.github.posthog4j.client.PosthogConfigurationException.class);
            InvalidPosthogPropertyException ex = findCause(context.getStartupFailure());
            assertThat(ex.getProperty()).isEqualTo("posthog.api-key");
        });
    }

    @Test
    void whenHostInvalidShouldFailNamingTheProperty() {
        contextRunner.withPropertyValues("posthog.api-key=phc_test", "posthog.host=ftp://nowhere").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(findCause(context.getStartupFailure()).getProperty()).isEqualTo("posthog.host");
            assertThat(context.getStartupFailure()).hasStackTraceContaining("ftp://nowhere")
                .satisfies((t) -> assertThat(stackTrace(t)).doesNotContain("phc_test"));
        });
    }

    @Test
    void whenUserDefinesClientShouldBackOff() {
        contextRunner.withPropertyValues("posthog.api-key=phc_test")
            .withUserConfiguration(UserClient.class)
            .run((context) -> {
                assertThat(context).hasSingleBean(PosthogClient.class)
                    .doesNotHaveBean(PosthogLifecycle.class)
                    .doesNotHaveBean(PosthogClientFactory.class);
                assertThat(context.getBean(PosthogClient.class)).isSameAs(context.getBean("userClient"));
            });
    }

    @Test
    void whenHooksAndCustomizersDefinedShouldApplyThemInOrder() {
        contextRunner.withPropertyValues("posthog.api-key=phc_test", "posthog.super-properties.app=demo")
            .withUserConfiguration(HooksAndCustomizers.class)
            .run((context) -> {
                PosthogClient client = context.getBean(PosthogClient.class);
                client.capture("u1", "ordered");
                assertThat(client.flush()).isEqualTo(1);
                JsonNode props = posthog.events().get(0).get("properties");
                assertThat(props.get("trail").asText()).isEqualTo("first,second");
                assertThat(props.get("app").asText()).isEqualTo("demo");
                assertThat(props.get("customized").asBoolean()).isTrue();
                assertThat(context.getBean(HooksAndCustomizers.class).customizerOrder).containsExactly("early", "late");
            });
    }

    @Test
    void whenPropertiesPrintedShouldHideTheKey() {
        contextRunner
            .withPropertyValues("posthog.api-key=phc_secret_value",
                    "posthog.feature-flags.personal-api-key=phx_secret_value")
            .run((context) -> {
                PosthogProperties properties = context.getBean(PosthogProperties.class);
                assertThat(properties.toString() + properties.getFeatureFlags() + context.getBean(PosthogClient.class))
                    .doesNotContain("secret_value");
                assertThat(properties.getApiKey()).isEqualTo("phc_secret_value");
            });
    }

    @Test
    void whenActuatorPresentShouldSanitizeBothKeys() {
        contextRunner.withPropertyValues("posthog.api-key=phc_test").run((context) -> {
            SanitizingFunction function = context.getBean(SanitizingFunction.class);
            for (String key : List.of("posthog.api-key", "POSTHOG_APIKEY", "posthog.feature-flags.personal-api-key",
                    "apiKey", "personalApiKey")) {
                assertThat(function.apply(new SanitizableData(null, key, "phc_value")).getValue()).as(key)
                    .isEqualTo(SanitizableData.SANITIZED_VALUE);
            }
            assertThat(function.apply(new SanitizableData(null, "posthog.host", "https://x")).getValue())
                .isEqualTo("https://x");
        });
    }

    @Test
    void whenActuatorAbsentShouldRegisterNoSanitizingFunction() {
        contextRunner.withPropertyValues("posthog.api-key=phc_test")
            .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(PosthogSanitizingFunction.class));
    }

    @Test
    void whenSpringCloudPresentShouldListenForEnvironmentChanges() {
        contextRunner.withPropertyValues("posthog.api-key=phc_test")
            .run((context) -> assertThat(context).hasSingleBean(PosthogEnvironmentChangeListener.class));
    }

    @Test
    void whenSpringCloudAbsentShouldNotListenForEnvironmentChanges() {
        contextRunner.withPropertyValues("posthog.api-key=phc_test")
            .withClassLoader(new FilteredClassLoader("org.springframework.cloud"))
            .run((context) -> assertThat(context).hasNotFailed()
                .hasSingleBean(PosthogLifecycle.class)
                .doesNotHaveBean(PosthogEnvironmentChangeListener.class));
    }

    private static InvalidPosthogPropertyException findCause(Throwable t) {
        while (t != null && !(t instanceof InvalidPosthogPropertyException)) {
            t = t.getCause();
        }
        assertThat(t).isNotNull();
        return (InvalidPosthogPropertyException) t;
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    @Configuration(proxyBeanMethods = false)
    static class UserClient {

        @Bean
        PosthogClient userClient() {
            return PosthogClient.builder("phc_user").buildStopped();
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class HooksAndCustomizers {

        final List<String> customizerOrder = new ArrayList<>();

        @Bean
        @Order(2)
        BeforeSendHook secondHook() {
            return (event) -> append(event, "second");
        }

        @Bean
        @Order(1)
        BeforeSendHook firstHook() {
            return (event) -> append(event, "first");
        }

        @Bean
        @Order(20)
        PosthogClientCustomizer lateCustomizer() {
            return (builder) -> {
                customizerOrder.add("late");
                builder.superProperty("customized", true);
            };
        }

        @Bean
        @Order(10)
        PosthogClientCustomizer earlyCustomizer() {
            return (builder) -> customizerOrder.add("early");
        }

        private static PosthogEvent append(PosthogEvent event, String name) {
            Object trail = event.properties().get("trail");
            event.properties().put("trail", (trail == null) ? name : trail + "," + name);
            return event;
        }

    }

}
