package io.github.posthog4j.client;

import java.util.List;

/** Live threads by name prefix. */
final class Threads {

    private Threads() {
    }

    static List<Thread> named(String prefix) {
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter(Thread::isAlive)
            .filter(t -> t.getName().startsWith(prefix))
            .toList();
    }

}
