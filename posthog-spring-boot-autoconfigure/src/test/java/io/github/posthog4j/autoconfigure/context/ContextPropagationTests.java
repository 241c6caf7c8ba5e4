package io.github.posthog4j.autoconfigure.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posthog4j.client.PosthogContext;
import io.micrometer.context.ContextRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/**
 * The PostHog context follows the work: {@code @Async} methods and Boot's task executors
 * (through the {@link ContextPropagatingTaskDecorator} the starter defines), virtual
 * threads (Boot's virtual-thread executor, Java 21 and later), and Reactor pipelines with
 * automatic context propagation. Every test opens a context, hands work to another thread
 * and reads the context there.
 */
class ContextPropagationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PosthogContextPropagationAutoConfiguration.class,
                TaskExecutionAutoConfiguration.class))
        .withUserConfiguration(AsyncApplication.class);

    @AfterEach
    void noContextLeft() {
        assertThat(PosthogContext.current()).isNull();
    }

    @Test
    void theAccessorIsRegisteredWithMicrometer() {
        assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
            .anyMatch((a) -> a.key().equals(PosthogContextThreadLocalAccessor.KEY));
    }

    @Test
    void asyncMethodsSeeTheCallersContext() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(ContextPropagatingTaskDecorator.class);
            AsyncWork work = context.getBean(AsyncWork.class);
            try (PosthogContext.Scope scope = PosthogContext.builder().distinctId("async-user").open()) {
                Observed seen = work.observe().get(10, TimeUnit.SECONDS);
                assertThat(seen.distinctId()).isEqualTo("async-user");
                assertThat(seen.thread()).isNotEqualTo(Thread.currentThread().getName());
            }
            assertThat(work.observe().get(10, TimeUnit.SECONDS).distinctId()).as("nothing left on the worker").isNull();
        });
    }

    @Test
    void taskExecutorsSeeTheCallersContext() {
        this.contextRunner.run((context) -> {
            ThreadPoolTaskExecutor executor = context.getBean(ThreadPoolTaskExecutor.class);
            try (PosthogContext.Scope scope = PosthogContext.builder().distinctId("executor-user").open()) {
                CompletableFuture<String> seen = new CompletableFuture<>();
                executor.execute(() -> seen.complete(PosthogContext.currentDistinctId()));
                assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("executor-user");
            }
        });
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void virtualThreadsSeeTheCallersContext() {
        this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true").run((context) -> {
            AsyncWork work = context.getBean(AsyncWork.class);
            try (PosthogContext.Scope scope = PosthogContext.builder().distinctId("virtual-user").open()) {
                Observed seen = work.observe().get(10, TimeUnit.SECONDS);
                assertThat(seen.distinctId()).isEqualTo("virtual-user");
                assertThat(seen.virtual()).isTrue();
            }
        });
    }

    @Test
    void reactorPipelinesSeeTheContextWithAutomaticPropagation() {
        Hooks.enableAutomaticContextPropagation();
        try {
            PosthogContext requestContext = PosthogContext.builder().distinctId("reactive-user").build();
            String fromReactorContext = Mono.fromCallable(PosthogContext::currentDistinctId)
                .subscribeOn(Schedulers.boundedElastic())
                .contextWrite(Context.of(PosthogContextThreadLocalAccessor.KEY, requestContext))
                .block();
            assertThat(fromReactorContext).isEqualTo("reactive-user");
            try (PosthogContext.Scope scope = PosthogContext.builder().distinctId("captured-user").open()) {
                String captured = Mono.fromCallable(PosthogContext::currentDistinctId)
                    .publishOn(Schedulers.parallel())
                    .contextCapture()
                    .block();
                assertThat(captured).isEqualTo("captured-user");
            }
        }
        finally {
            Hooks.disableAutomaticContextPropagation();
        }
    }

    @Test
    void anApplicationTaskDecoratorWinsAndPropagationCanBeTurnedOff() {
        this.contextRunner.withUserConfiguration(OwnDecorator.class).run((context) -> {
            assertThat(context).doesNotHaveBean(ContextPropagatingTaskDecorator.class);
        });
        this.contextRunner.withPropertyValues("posthog.context-propagation=false").run((context) -> {
            assertThat(context).doesNotHaveBean(ContextPropagatingTaskDecorator.class);
            AsyncWork work = context.getBean(AsyncWork.class);
            try (PosthogContext.Scope scope = PosthogContext.builder().distinctId("stays-here").open()) {
                assertThat(work.observe().get(10, TimeUnit.SECONDS).distinctId()).isNull();
            }
        });
    }

    /** What a worker thread saw. */
    record Observed(String distinctId, String thread, boolean virtual) {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class AsyncApplication {

        @Bean
        AsyncWork asyncWork() {
            return new AsyncWork();
        }

    }

    static class AsyncWork {

        @Async
        public CompletableFuture<Observed> observe() {
            Thread t = Thread.currentThread();
            return CompletableFuture
                .completedFuture(new Observed(PosthogContext.currentDistinctId(), t.getName(), isVirtual(t)));
        }

        private static boolean isVirtual(Thread t) {
            try {
                return (boolean) Thread.class.getMethod("isVirtual").invoke(t);
            }
            catch (ReflectiveOperationException ex) {
                return false; // before Java 21
            }
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class OwnDecorator {

        @Bean
        TaskDecorator ownDecorator() {
            return (runnable) -> runnable;
        }

    }

}
