package io.github.posthog4j.client;

import org.jspecify.annotations.Nullable;

/**
 * Shares the local-evaluation flag definitions between the instances of a service, so
 * that one instance at a time loads them from PostHog and the others read them from a
 * shared store (PostHog's cross-SDK "external flag definition cache provider"). Set it
 * with
 * {@link PosthogClientBuilder#flagDefinitionCacheProvider(FlagDefinitionCacheProvider)};
 * it is used only with local evaluation on. The Spring Boot starter applies a bean of
 * this type, and brings one on Redis.
 *
 * <p>
 * On every refresh (on the {@code posthog-flags} thread, never on an application thread)
 * the client first asks {@link #shouldFetch()}. When it answers true and a load is due,
 * the client loads the definitions from PostHog, uses them and hands them to
 * {@link #store(FlagDefinitionsData)}; when it answers false the client takes
 * {@link #read()} instead and makes no request. Every failure is contained: a method that
 * throws (or takes longer than the flags request timeout) is logged as one WARN until the
 * provider works again, never reaches the application, and never erases the definitions
 * in use; a failed {@code shouldFetch} means "fetch" (the client then loads from PostHog
 * itself, once per poll interval). {@link #shutdown()} runs when the client closes.
 *
 * <p>
 * With a provider the client consults it three times per poll interval (so that a
 * provider electing a leader with a lease can replace a dead leader within one interval)
 * but loads from PostHog at most once per poll interval; definitions read from the
 * provider count as loaded when their {@link FlagDefinitionsData#fetchedAt()} says.
 * Implementations must be thread-safe.
 */
public interface FlagDefinitionCacheProvider {

    /**
     * Decides whether this instance should load the definitions from PostHog now.
     * @return true to load from PostHog (and then {@link #store}), false to
     * {@link #read()} the shared definitions
     * @throws Exception on any failure (the client then loads from PostHog)
     */
    boolean shouldFetch() throws Exception;

    /**
     * Reads the shared definitions.
     * @return the definitions, or null when the shared store holds none (the client keeps
     * the definitions it has)
     * @throws Exception on any failure (the client keeps the definitions it has)
     */
    @Nullable FlagDefinitionsData read() throws Exception;

    /**
     * Stores definitions this instance just loaded from PostHog (a 200, or a 304
     * confirming the definitions in use: then {@code fetchedAt} is new and the document
     * the same).
     * @param definitions the definitions
     * @throws Exception on any failure (the definitions stay in use in this instance)
     */
    void store(FlagDefinitionsData definitions) throws Exception;

    /**
     * Releases the provider's resources (a lease, connections it owns) when the client
     * closes. The default does nothing.
     * @throws Exception on any failure (logged; the client's shutdown goes on)
     */
    default void shutdown() throws Exception {
    }

}
