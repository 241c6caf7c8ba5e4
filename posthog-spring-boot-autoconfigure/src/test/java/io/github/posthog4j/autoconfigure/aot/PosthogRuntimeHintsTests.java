package io.github.posthog4j.autoconfigure.aot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posthog4j.autoconfigure.PosthogFailureAnalyzer;
import io.github.posthog4j.autoconfigure.PosthogProperties;
import io.github.posthog4j.autoconfigure.endpoint.PosthogEndpoint;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;

/**
 * {@link PosthogRuntimeHints}: what the starter reads reflectively or as a resource is
 * registered, and Spring's AOT engine finds the registrar.
 */
class PosthogRuntimeHintsTests {

    private final RuntimeHints hints = new RuntimeHints();

    PosthogRuntimeHintsTests() {
        new PosthogRuntimeHints().registerHints(hints, getClass().getClassLoader());
    }

    @Test
    void whenRegisteredShouldCoverTheVersionResourceThatTheClientReads() {
        assertThat(getClass().getClassLoader().getResource(PosthogRuntimeHints.VERSION_RESOURCE))
            .as("the resource the hint names exists")
            .isNotNull();
        assertThat(RuntimeHintsPredicates.resource().forResource(PosthogRuntimeHints.VERSION_RESOURCE)).accepts(hints);
        assertThat(RuntimeHintsPredicates.resource().forResource("io/github/posthog4j/client/other.properties"))
            .rejects(hints);
    }

    @Test
    void whenRegisteredShouldLetEveryPropertyGroupBeBoundAndRead() throws Exception {
        for (Class<?> type : groups()) {
            for (Method method : type.getDeclaredMethods()) {
                if (Modifier.isPublic(method.getModifiers()) && !Modifier.isStatic(method.getModifiers())
                        && (method.getName().startsWith("get") || method.getName().startsWith("is")
                                || method.getName().startsWith("set"))) {
                    assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(method))
                        .as(type.getSimpleName() + "." + method.getName())
                        .accepts(hints);
                }
            }
            assertThat(RuntimeHintsPredicates.reflection().onType(type)).accepts(hints);
        }
        assertThat(RuntimeHintsPredicates.reflection()
            .onConstructorInvocation(PosthogFailureAnalyzer.class.getDeclaredConstructor())).accepts(hints);
    }

    @Test
    void whenEndpointProcessedShouldLetItsOperationsBeInvoked() throws Exception {
        RuntimeHints endpointHints = new RuntimeHints();
        new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(endpointHints, PosthogEndpoint.class);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(PosthogEndpoint.class.getMethod("posthog")))
            .accepts(endpointHints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(PosthogEndpoint.class.getMethod("flush")))
            .accepts(endpointHints);
    }

    @Test
    void whenAotRunsShouldFindTheRegistrarInAotFactories() {
        assertThat(AotServices.factories(getClass().getClassLoader()).load(RuntimeHintsRegistrar.class))
            .hasAtLeastOneElementOfType(PosthogRuntimeHints.class);
    }

    private static Class<?>[] groups() {
        java.util.List<Class<?>> groups = new java.util.ArrayList<>();
        groups.add(PosthogProperties.class);
        for (Class<?> nested : PosthogProperties.class.getDeclaredClasses()) {
            if (Modifier.isPublic(nested.getModifiers()) && Modifier.isStatic(nested.getModifiers())) {
                groups.add(nested);
            }
        }
        assertThat(groups).as("PosthogProperties and its nested groups").hasSizeGreaterThan(3);
        return groups.toArray(new Class<?>[0]);
    }

}
