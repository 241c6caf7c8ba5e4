package io.github.posthog4j.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.testsupport.PosthogStandIn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.core.env.MapPropertySource;

/**
 * The lifecycle matrix of the design guide: one test per row, each with a real context,
 * real consumer threads and a real loopback PostHog stand-in that counts the uuids it
 * acknowledged (no loss, no duplicates).
 */
class PosthogLifecycleMatrixTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PosthogAutoConfiguration.class))
        .withPropertyValues(properties());

    private int baselineThreads;

    @BeforeEach
    void baseline() {
        await().atMost(WAIT).until(() -> PosthogThreads.count() == 0);
        baselineThreads = PosthogThreads.count();
    }

    @AfterEach
    void tearDown() {
        posthog.close();
    }

    private String[] properties() {
        return new String[] { "posthog.api-key=phc_matrix", "posthog.host=" + posthog.url(),
                "posthog.flush-interval=20ms", "posthog.flush-at=20", "posthog.shutdown-timeout=5s",
                "posthog.retry-initial-backoff=20ms", "posthog.retry-max-backoff=200ms" };
    }

    private SpringApplicationBuilder app(Class<?>... sources) {
        return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE).properties(properties());
    }

    private void assertDeliveredExactlyOnce(List<String> uuids) {
        assertThat(uuids).doesNotContainNull().doesNotHaveDuplicates();
        await().atMost(WAIT).until(() -> posthog.uuidCounts().keySet().containsAll(uuids));
        Map<String, Integer> counts = posthog.uuidCounts();
        assertThat(uuids).allSatisfy((u) -> assertThat(counts.get(u)).as("deliveries of %s", u).isEqualTo(1));
        assertThat(posthog.duplicates()).isZero();
    }

    private void assertNoPosthogThreadLeft() {
        await().atMost(WAIT).untilAsserted(() -> assertThat(PosthogThreads.count()).isEqualTo(baselineThreads));
    }

    // Row: SpringApplication.run
    @Test
    void whenSpringApplicationRunsShouldQueueStartupEventsAndSendThemAfterReady() {
        try (ConfigurableApplicationContext context = app(StartupCapture.class).run()) {
            StartupCapture startup = context.getBean(StartupCapture.class);
            assertThat(startup.runningBeforeReady).isFalse();
            assertThat(startup.threadsBeforeReady).isEqualTo(baselineThreads);
            assertThat(startup.requestsBeforeReady).isZero();
            assertDeliveredExactlyOnce(startup.uuids);
            assertThat(context.getBean(ManagedPosthogClient.class).isRunning()).isTrue();
        }
        assertNoPosthogThreadLeft();
    }

    // Row: context refresh (a second ContextRefreshedEvent of this context)
    @Test
    void whenContextRefreshedAgainShouldRestartConsumersKeepingQueuedEventsAndSendingNothingTwice() {
        try (ConfigurableApplicationContext context = app(Empty.class).run()) {
            ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
            List<String> uuids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                uuids.add(client.capture("u" + i, "before refresh"));
            }
            context.publishEvent(new ContextRefreshedEvent(context));
            for (int i = 0; i < 50; i++) {
                uuids.add(client.capture("u" + i, "after refresh"));
            }
            assertThat(client.status().consumerRestarts()).isEqualTo(1);
            assertThat(client.isRunning()).isTrue();
            assertDeliveredExactlyOnce(uuids);
        }
        assertNoPosthogThreadLeft();
    }

    // Row: context refresh (a posthog.* property change via Spring Cloud)
    @Test
    void whenPosthogPropertyChangesShouldRestartConsumersWithCurrentSettings() {
        try (PosthogStandIn other = PosthogStandIn.start();
                ConfigurableApplicationContext context = app(Empty.class).run()) {
            ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
            String before = client.capture("u", "before change");
            assertDeliveredExactlyOnce(List.of(before));
            context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource("changed", Map.of("posthog.host", other.url())));
            context.publishEvent(new EnvironmentChangeEvent(context, Set.of("posthog.host")));
            String after = client.capture("u", "after change");
            await().atMost(WAIT).until(() -> other.uuidCounts().containsKey(after));
            assertThat(other.uuidCounts()).containsOnlyKeys(after);
            assertThat(posthog.uuidCounts()).containsOnlyKeys(before);
            assertThat(client.status().consumerRestarts()).isEqualTo(1);
            // A change of another key leaves the consumers alone.
            context.publishEvent(new EnvironmentChangeEvent(context, Set.of("spring.application.name")));
            assertThat(client.status().consumerRestarts()).isEqualTo(1);
        }
        assertNoPosthogThreadLeft();
    }

    // Row: Lifecycle stop/start
    @Test
    void whenStoppedAndStarted100TimesUnderConcurrentCaptureShouldLoseNothingAndKeepThreadCountFlat()
            throws InterruptedException {
        ConcurrentLinkedQueue<String> uuids = new ConcurrentLinkedQueue<>();
        List<Integer> runningCounts = new ArrayList<>();
        List<Integer> stoppedCounts = new ArrayList<>();
        try (ConfigurableApplicationContext context = app(Empty.class).run()) {
            ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
            AtomicBoolean producing = new AtomicBoolean(true);
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                int id = p;
                Thread t = new Thread(() -> {
                    int i = 0;
                    while (producing.get() && i < 4_000) {
                        if (client.status().queueSize() > 5_000) {
                            Thread.yield(); // stay below the queue's capacity: this test
                                            // is about restarts
                            continue;
                        }
                        uuids.add(client.capture("producer-" + id, "tick " + i++));
                    }
                }, "producer-" + p);
                t.start();
                producers.add(t);
            }
            for (int cycle = 0; cycle < 100; cycle++) {
                context.stop();
                assertThat(client.isRunning()).isFalse();
                stoppedCounts.add(PosthogThreads.count() - baselineThreads);
                context.start();
                assertThat(client.isRunning()).isTrue();
                runningCounts.add(PosthogThreads.count() - baselineThreads);
            }
            producing.set(false);
            for (Thread t : producers) {
                t.join();
            }
            assertThat(client.status().consumerRestarts()).isEqualTo(100);
            assertThat(client.status().droppedTotal()).as("dropped %s", client.status().dropped()).isZero();
            assertDeliveredExactlyOnce(List.copyOf(uuids));
            assertThat(posthog.eventCount()).isEqualTo(uuids.size());
        }
        System.out.printf(
                "stop/start cycles: posthog-* threads while stopped min=%d max=%d, while running min=%d max=%d, events=%d%n",
                stoppedCounts.stream().mapToInt(Integer::intValue).min().orElse(-1),
                stoppedCounts.stream().mapToInt(Integer::intValue).max().orElse(-1),
                runningCounts.stream().mapToInt(Integer::intValue).min().orElse(-1),
                runningCounts.stream().mapToInt(Integer::intValue).max().orElse(-1), uuids.size());
        assertThat(stoppedCounts).allSatisfy((n) -> assertThat(n).isZero()); // stop()
                                                                             // joins
                                                                             // every
                                                                             // thread it
                                                                             // owns
        assertThat(runningCounts).allSatisfy((n) -> assertThat(n).isBetween(1, 3));
        assertNoPosthogThreadLeft();
    }

    // Row: parent/child contexts
    @Test
    void whenChildContextRefreshesAndClosesShouldNotRestartOrStopParentClient() {
        try (ConfigurableApplicationContext parent = app(Empty.class).run()) {
            ManagedPosthogClient client = parent.getBean(ManagedPosthogClient.class);
            assertThat(client.isRunning()).isTrue();
            ConfigurableApplicationContext child = new SpringApplicationBuilder(Empty.class)
                .web(WebApplicationType.NONE)
                .parent(parent)
                .run();
            assertThat(child.containsLocalBean("posthogLifecycle")).isFalse();
            assertThat(child.getBean(PosthogClient.class)).isSameAs(client);
            child.publishEvent(new ContextRefreshedEvent(child));
            child.stop();
            child.close();
            assertThat(client.isRunning()).isTrue();
            assertThat(client.isClosed()).isFalse();
            assertThat(client.status().consumerRestarts()).isZero();
            assertDeliveredExactlyOnce(List.of(client.capture("u", "after child closed")));
        }
        assertNoPosthogThreadLeft();
    }

    // Row: DevTools-style restart
    @Test
    void whenContextClosedAndRecreatedInSameJvmShouldEndOldThreadsAndDeliverWithNewClient() {
        ManagedPosthogClient first;
        List<String> uuids = new ArrayList<>();
        try (ConfigurableApplicationContext context = app(Empty.class).run()) {
            first = context.getBean(ManagedPosthogClient.class);
            uuids.add(first.capture("u", "first context"));
        }
        assertThat(first.isClosed()).isTrue();
        assertNoPosthogThreadLeft();
        try (ConfigurableApplicationContext context = app(Empty.class).run()) {
            ManagedPosthogClient second = context.getBean(ManagedPosthogClient.class);
            assertThat(second).isNotSameAs(first);
            assertThat(first.capture("u", "old client")).isNull();
            uuids.add(second.capture("u", "second context"));
            assertDeliveredExactlyOnce(uuids);
        }
        assertNoPosthogThreadLeft();
    }

    // Row: graceful shutdown (bean destruction part; the web server part is in
    // GracefulShutdownTests)
    @Test
    void whenContextClosesShouldDeliverEventsCapturedDuringDestruction() {
        ConfigurableApplicationContext context = app(DestroyCapture.class).run();
        DestroyCapture destroy = context.getBean(DestroyCapture.class);
        context.close();
        assertThat(destroy.uuid).isNotNull();
        assertThat(posthog.uuidCounts()).containsEntry(destroy.uuid, 1);
        assertNoPosthogThreadLeft();
    }

    // Row: cached test contexts / ApplicationContextRunner (no ready event)
    @Test
    void whenNoReadyEventShouldStartNoThreadAndStillDeliverOnFlushAndClose() {
        List<String> uuids = new ArrayList<>();
        ManagedPosthogClient[] holder = new ManagedPosthogClient[1];
        contextRunner.run((context) -> {
            ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
            holder[0] = client;
            for (int i = 0; i < 3; i++) {
                uuids.add(client.capture("u", "flushed " + i));
            }
            assertThat(client.isRunning()).isFalse();
            assertThat(PosthogThreads.count()).isEqualTo(baselineThreads);
            assertThat(client.flush()).isEqualTo(3);
            assertThat(posthog.uuidCounts()).containsOnlyKeys(uuids);
            uuids.add(client.capture("u", "closed 1"));
            uuids.add(client.capture("u", "closed 2"));
            assertThat(client.isRunning()).isFalse();
        });
        assertThat(holder[0].isClosed()).isTrue();
        assertThat(posthog.uuidCounts()).containsOnlyKeys(uuids).allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
        assertNoPosthogThreadLeft();
    }

    // Row: PostHog down for minutes
    @Test
    void whenPosthogDownThenBackShouldNeverBlockAndDeliverEverythingItQueued() {
        posthog.defaultReply(PosthogStandIn.Reply.status(503));
        try (ConfigurableApplicationContext context = app(Empty.class)
            .properties("posthog.max-retries=1", "posthog.max-probe-interval=200ms")
            .run()) {
            ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
            List<String> uuids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                uuids.add(client.capture("u", "first batch " + i));
            }
            await().atMost(WAIT).until(() -> client.status().backingOff());
            long start = System.nanoTime();
            for (int i = 0; i < 500; i++) {
                uuids.add(client.capture("u", "during outage " + i));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(client.status().queueSize()).isEqualTo(520);
            assertThat(client.status().droppedTotal()).isZero();
            posthog.defaultReply(PosthogStandIn.Reply.ok());
            assertDeliveredExactlyOnce(uuids);
            await().atMost(WAIT).until(() -> !client.status().backingOff());
            assertThat(client.status().sent()).isEqualTo(520);
            assertThat(client.status().droppedTotal()).isZero();
        }
        assertNoPosthogThreadLeft();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(PosthogAutoConfiguration.class)
    static class Empty {

    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(PosthogAutoConfiguration.class)
    static class StartupCapture implements InitializingBean {

        final List<String> uuids = new ArrayList<>();

        private final PosthogClient client;

        boolean runningBeforeReady = true;

        int threadsBeforeReady = -1;

        int requestsBeforeReady = -1;

        StartupCapture(PosthogClient client) {
            this.client = client;
        }

        @Override
        public void afterPropertiesSet() {
            uuids.add(client.capture("u", "captured in afterPropertiesSet"));
        }

        @Bean
        CommandLineRunner captureOnStartup() {
            return (args) -> {
                uuids.add(client.capture("u", "captured in a runner"));
                runningBeforeReady = ((ManagedPosthogClient) client).isRunning();
                threadsBeforeReady = PosthogThreads.count();
                requestsBeforeReady = (int) ((ManagedPosthogClient) client).status().sent();
            };
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(PosthogAutoConfiguration.class)
    static class DestroyCapture implements DisposableBean {

        private final PosthogClient client;

        volatile String uuid;

        DestroyCapture(PosthogClient client) {
            this.client = client;
        }

        @Override
        public void destroy() {
            uuid = client.capture("u", "captured during destruction");
        }

    }

}
