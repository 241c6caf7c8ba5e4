package io.github.posthog4j.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The library's version, read from a resource the build writes. */
final class LibraryVersion {

    private static final String VERSION = load();

    private LibraryVersion() {
    }

    static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = LibraryVersion.class
            .getResourceAsStream("/io/github/posthog4j/client/version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank() && !v.startsWith("${")) {
                    return v.strip();
                }
            }
        }
        catch (IOException ignored) {
            // fall through
        }
        return "unknown";
    }

}
