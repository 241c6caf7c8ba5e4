package io.github.posthog4j.autoconfigure.aot;

import io.github.posthog4j.autoconfigure.PosthogFailureAnalyzer;
import io.github.posthog4j.autoconfigure.PosthogProperties;
import java.lang.reflect.Modifier;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

/**
 * What the starter reads reflectively or as a resource at run time, for Spring AOT and
 * GraalVM native images. Registered in {@code META-INF/spring/aot.factories}, so it
 * applies whether or not a PostHog bean is created.
 *
 * <ul>
 * <li>{@value #VERSION_RESOURCE}: the library version the client sends as
 * {@code $lib_version};</li>
 * <li>{@link PosthogProperties} and its nested groups: bound by the
 * {@code PosthogClientFactory} again on every (re)start, and read through their getters
 * by the {@code posthog} actuator endpoint;</li>
 * <li>{@link PosthogFailureAnalyzer}: instantiated from {@code META-INF/spring.factories}
 * when start-up fails.</li>
 * </ul>
 *
 * The client itself uses no other reflection: JSON is written with Jackson's streaming
 * API and read as trees. Values of event properties are serialised by Jackson databind;
 * an application that captures its own classes as property values registers hints for
 * them (maps, lists, strings, numbers and booleans need none).
 */
public final class PosthogRuntimeHints implements RuntimeHintsRegistrar {

    /** The client's version resource. */
    public static final String VERSION_RESOURCE = "io/github/posthog4j/client/version.properties";

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        hints.resources().registerPattern(VERSION_RESOURCE);
        BindableRuntimeHintsRegistrar.forTypes(PosthogProperties.class).registerHints(hints);
        hints.reflection().registerType(PosthogProperties.class, MemberCategory.INVOKE_PUBLIC_METHODS);
        for (Class<?> nested : PosthogProperties.class.getDeclaredClasses()) {
            if (Modifier.isPublic(nested.getModifiers()) && Modifier.isStatic(nested.getModifiers())) {
                hints.reflection().registerType(nested, MemberCategory.INVOKE_PUBLIC_METHODS);
            }
        }
        hints.reflection().registerType(PosthogFailureAnalyzer.class, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
    }

}
