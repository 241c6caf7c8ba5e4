package io.github.posthog4j.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Swaps the network of the auto-configured {@code PosthogClient} for an in-memory
 * {@link PosthogRecorder}: the client runs its real capture pipeline (validation, super
 * properties, before-send hooks, customizers) and hands every accepted event to the
 * recorder on the capturing thread. No delivery thread starts, no HTTP request is made,
 * and feature flags answer from the recorder's fixed values
 * ({@code recorder.flags().set("new-checkout", "variant-b")}).
 *
 * <p>
 * Put it on a {@code @SpringBootTest} or a slice such as {@code @WebMvcTest} (it imports
 * the PostHog auto-configuration, which slices leave out), then inject the recorder:
 *
 * <pre class="code">
 * &#064;WebMvcTest(CheckoutController.class)
 * &#064;AutoConfigurePosthog
 * class CheckoutControllerTests {
 *
 *     &#064;Autowired MockMvc mvc;
 *     &#064;Autowired PosthogRecorder posthog;
 *
 *     &#064;Test
 *     void checkoutCapturesOrderPlaced() throws Exception {
 *         posthog.flags().set("new-checkout", "variant-b");
 *         mvc.perform(post("/checkout").param("user", "u1"));
 *         assertThat(posthog).hasCaptured("order placed").forDistinctId("u1").withProperty("total", 42).once();
 *         assertThat(posthog).hasCalledFlag("new-checkout").forDistinctId("u1");
 *     }
 * }
 * </pre>
 *
 * With this annotation the client is always enabled ({@code posthog.enabled=true}) and,
 * when no {@code posthog.api-key} is configured, gets a placeholder key: nothing is ever
 * sent. Local flag evaluation and the durable spool are turned off. The recorder is
 * emptied (events, flag calls and fixed flags) after each test method.
 *
 * <p>
 * With an {@code ApplicationContextRunner}, add the auto-configurations and a key
 * yourself:
 * {@code .withConfiguration(AutoConfigurations.of(PosthogAutoConfiguration.class,
 * PosthogTestAutoConfiguration.class)).withPropertyValues("posthog.api-key=phc_test")}.
 *
 * @see PosthogRecorder
 * @see PosthogAssertions
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigurePosthog {

}
