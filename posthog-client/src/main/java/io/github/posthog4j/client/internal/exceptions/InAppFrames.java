package io.github.posthog4j.client.internal.exceptions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Which stack frames are the application's own ({@code in_app}): those of classes in the
 * configured packages (and their sub-packages); with none configured, every frame outside
 * the JDK and this client. Immutable. Internal API.
 */
public final class InAppFrames {

    /** No packages configured: everything outside the JDK and this client is in-app. */
    public static final InAppFrames DEFAULT = new InAppFrames(List.of());

    private static final String[] JDK = { "java.", "javax.", "jdk.", "sun.", "com.sun." };

    private static final String CLIENT_PACKAGE = "io.github.posthog4j.client.";

    private static final String CLIENT_INTERNALS = "io.github.posthog4j.client.internal.";

    private final List<String> packages;

    private final String[] prefixes;

    private InAppFrames(List<String> packages) {
        this.packages = packages;
        this.prefixes = packages.stream().map((p) -> p + ".").toArray(String[]::new);
    }

    /**
     * @param packages package names (e.g. {@code com.example.shop}); blank entries and
     * trailing {@code .} or {@code .*} are ignored
     * @return the rule
     */
    public static InAppFrames of(@Nullable Collection<String> packages) {
        if (packages == null || packages.isEmpty()) {
            return DEFAULT;
        }
        List<String> clean = new ArrayList<>(packages.size());
        for (String p : packages) {
            if (p == null) {
                continue;
            }
            String name = p.strip();
            if (name.endsWith(".*")) {
                name = name.substring(0, name.length() - 2);
            }
            while (name.endsWith(".")) {
                name = name.substring(0, name.length() - 1);
            }
            if (!name.isEmpty()) {
                clean.add(name);
            }
        }
        return clean.isEmpty() ? DEFAULT : new InAppFrames(List.copyOf(clean));
    }

    /**
     * @return the configured packages, possibly empty
     */
    public List<String> packages() {
        return this.packages;
    }

    /**
     * @param className a fully qualified class name
     * @return whether it is a class of this client (its API package or its internals)
     */
    public static boolean isClient(String className) {
        return className.startsWith(CLIENT_INTERNALS)
                || (className.startsWith(CLIENT_PACKAGE) && className.indexOf('.', CLIENT_PACKAGE.length()) < 0);
    }

    /**
     * @param className a frame's fully qualified class name
     * @return whether the frame is the application's
     */
    public boolean isInApp(String className) {
        if (this.prefixes.length == 0) {
            for (String p : JDK) {
                if (className.startsWith(p)) {
                    return false;
                }
            }
            return !isClient(className);
        }
        for (int i = 0; i < this.prefixes.length; i++) {
            if (className.startsWith(this.prefixes[i]) || className.equals(this.packages.get(i))) {
                return true;
            }
        }
        return false;
    }

}
