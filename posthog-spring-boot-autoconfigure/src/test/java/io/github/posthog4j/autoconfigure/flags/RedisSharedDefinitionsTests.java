package io.github.posthog4j.autoconfigure.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.posthog4j.autoconfigure.PosthogAutoConfiguration;
import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Flag definitions shared through a real {@code redis-server} by real Spring Boot
 * applications (each with its own auto-configured client and
 * {@link RedisFlagDefinitionCache}) against one PostHog stand-in: one load from PostHog
 * per poll interval however many instances; a dead leader's lease taken over within one
 * interval; Redis down means direct loads with one WARN per instance. Each test prints
 * its figures on a {@code REDIS-FIGURES} line.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisSharedDefinitionsTests {

    /** The poll interval of every instance: checks every 200 ms, a lease of 300 ms. */
    private static final Duration INTERVAL = Duration.ofMillis(600);

    private static final String DEFINITIONS = ("{'flags': [{'id': 1, 'key': 'beta-ui', 'active': true, 'filters':"
            + " {'groups': [{'properties': [], 'rollout_percentage': 100}]}}], 'group_type_mapping': {},"
            + " 'cohorts': {}}")
        .replace('\'', '"');

    @RegisterExtension
    final RedisServerExtension redis = new RedisServerExtension();

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

    RedisSharedDefinitionsTests() {
        posthog.route("/api/feature_flag/local_evaluation",
                request -> Reply.ok().json(DEFINITIONS).header("ETag", "\"d1\""));
    }

    @AfterEach
    void tearDown() {
        apps.forEach(ConfigurableApplicationContext::close);
        posthog.close();
    }

    private ConfigurableApplicationContext app(String name) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
            .properties("spring.main.banner-mode=off", "spring.application.name=" + name, "posthog.api-key=phc_redis",
                    "posthog.host=" + posthog.url(), "posthog.feature-flags.local-evaluation=true",
                    "posthog.feature-flags.personal-api-key=phx_" + name,
                    "posthog.feature-flags.poll-interval=" + INTERVAL.toMillis() + "ms",
                    "posthog.feature-flags.request-timeout=500ms", "spring.data.redis.host=127.0.0.1",
                    "spring.data.redis.port=" + redis.port(), "spring.data.redis.timeout=500ms",
                    "spring.data.redis.connect-timeout=500ms")
            .run();
        apps.add(context);
        return context;
    }

    private static boolean betaUi(ConfigurableApplicationContext app) {
        return Boolean.TRUE.equals(app.getBean(ManagedPosthogClient.class)
            .getFeatureFlag("beta-ui", "u1", FlagOptions.builder().onlyEvaluateLocally(true).build()));
    }

    /**
     * The definitions requests, optionally only those of one instance (its personal key).
     */
    private List<PosthogStandIn.Request> loads(String name) {
        return posthog.requests()
            .stream()
            .filter(r -> r.path().startsWith("/api/feature_flag/local_evaluation"))
            .filter(r -> name == null || ("Bearer phx_" + name).equals(r.headers().get("authorization")))
            .toList();
    }

    /**
     * Loads per interval between the first and the last of the given loads.
     */
    private static double perInterval(List<PosthogStandIn.Request> loads) {
        long spanNanos = loads.get(loads.size() - 1).receivedNanos() - loads.get(0).receivedNanos();
        return (loads.size() - 1) / ((double) spanNanos / INTERVAL.toNanos());
    }

    private static List<PosthogStandIn.Request> after(List<PosthogStandIn.Request> loads, long nanos) {
        return loads.stream().filter(r -> r.receivedNanos() > nanos).toList();
    }

    @Test
    void oneAndThreeInstancesCostPosthogOneLoadPerInterval() {
        redis.start();
        ConfigurableApplicationContext a = app("a");
        await().atMost(Duration.ofSeconds(20)).until(() -> loads(null).size() >= 7);
        double one = perInterval(loads(null));

        long threeFrom = System.nanoTime();
        ConfigurableApplicationContext b = app("b");
        ConfigurableApplicationContext c = app("c");
        await().atMost(Duration.ofSeconds(20)).until(() -> after(loads(null), threeFrom).size() >= 8);
        List<PosthogStandIn.Request> withThree = after(loads(null), threeFrom);
        double three = perInterval(withThree);

        System.out.printf(Locale.ROOT,
                "REDIS-FIGURES polls per interval: 1 instance %.2f (%d loads), 3 instances %.2f (%d loads)%n", one,
                loads(null).size() - withThree.size(), three, withThree.size());
        assertThat(one).isBetween(0.7, 1.05);
        assertThat(three).isBetween(0.7, 1.05);
        assertThat(List.of(a, b, c)).allSatisfy(app -> assertThat(betaUi(app)).isTrue());
        // the followers read Redis instead of PostHog
        assertThat(after(loads("b"), threeFrom).size() + after(loads("c"), threeFrom).size())
            .isLessThan(withThree.size());
    }

    @Test
    void whenTheLeaderDiesAnotherInstanceTakesTheLeaseWithinOneInterval() {
        redis.start();
        List<ConfigurableApplicationContext> three = List.of(app("a"), app("b"), app("c"));
        await().atMost(Duration.ofSeconds(20))
            .until(() -> three.stream().allMatch(RedisSharedDefinitionsTests::betaUi));
        StringRedisTemplate template = three.get(0).getBean(StringRedisTemplate.class);
        String leaseKey = three.get(0).getBean(RedisFlagDefinitionCache.class).leaseKey();
        await().atMost(Duration.ofSeconds(5)).until(() -> template.opsForValue().get(leaseKey) != null);
        String leaderId = template.opsForValue().get(leaseKey);
        ConfigurableApplicationContext leader = three.stream()
            .filter(app -> app.getBean(RedisFlagDefinitionCache.class).owner().equals(leaderId))
            .findFirst()
            .orElseThrow();

        // killed: its poller stops and it never releases the lease
        long killed = System.nanoTime();
        leader.getBean(ManagedPosthogClient.class).stop();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
            String now = template.opsForValue().get(leaseKey);
            return now != null && !now.equals(leaderId);
        });
        long takeoverMillis = (System.nanoTime() - killed) / 1_000_000;
        await().atMost(Duration.ofSeconds(20)).until(() -> after(loads(null), killed).size() >= 5);

        double rate = perInterval(after(loads(null), killed));
        System.out.printf(Locale.ROOT,
                "REDIS-FIGURES lease taken over %d ms after the leader died (interval %d ms); loads per interval "
                        + "after: %.2f%n",
                takeoverMillis, INTERVAL.toMillis(), rate);
        assertThat(takeoverMillis).isLessThanOrEqualTo(INTERVAL.toMillis());
        assertThat(rate).isBetween(0.6, 1.05);
    }

    @Test
    void whenRedisIsDownEveryInstanceLoadsDirectlyWithOneWarn(CapturedOutput output) {
        redis.start();
        List<ConfigurableApplicationContext> three = List.of(app("a"), app("b"), app("c"));
        await().atMost(Duration.ofSeconds(20))
            .until(() -> three.stream().allMatch(RedisSharedDefinitionsTests::betaUi));

        long down = System.nanoTime();
        redis.kill();
        await().atMost(Duration.ofSeconds(30))
            .until(() -> List.of("a", "b", "c").stream().allMatch(n -> after(loads(n), down).size() >= 4));

        for (String name : List.of("a", "b", "c")) {
            double rate = perInterval(after(loads(name), down));
            System.out.printf(Locale.ROOT, "REDIS-FIGURES redis down: instance %s loads directly, %.2f per interval%n",
                    name, rate);
            assertThat(rate).as("direct loads of %s per interval", name).isBetween(0.5, 1.1);
        }
        assertThat(three).allSatisfy(app -> assertThat(betaUi(app)).isTrue());
        assertThat(countOf(output.getAll(), "definitions cache provider shouldFetch failed")).isEqualTo(3);
    }

    private static int countOf(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @SpringBootConfiguration
    @ImportAutoConfiguration({ DataRedisAutoConfiguration.class, PosthogRedisFlagsAutoConfiguration.class,
            PosthogAutoConfiguration.class })
    static class App {

    }

}
