package io.github.posthog4j.autoconfigure;

import java.util.List;

/** Counts the client's threads ({@code posthog-*}) of this JVM. */
final class PosthogThreads {

    private PosthogThreads() {
    }

    static List<String> names() {
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter(Thread::isAlive)
            .map(Thread::getName)
            .filter((n) -> n.startsWith("posthog-"))
            .sorted()
            .toList();
    }

    static int count() {
        return names().size();
    }

}
