package io.github.posthog4j.autoconfigure.endpoint;

import io.github.posthog4j.autoconfigure.PosthogProperties;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code spool} part of the endpoint: whether the durable spool is on, and how many
 * segment files and bytes it holds on disk.
 *
 * <p>
 * The client's public status has no spool figures yet, so they are read from the spool
 * directory: its {@code segment-*.log} files (the write-ahead log the client keeps there)
 * are counted and their sizes added up. A directory that cannot be read reports the error
 * instead of the figures.
 */
final class SpoolDescription {

    private static final String SEGMENTS = "segment-*.log";

    private SpoolDescription() {
    }

    static Map<String, @Nullable Object> of(PosthogProperties.Spool spool) {
        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        body.put("enabled", spool.isEnabled());
        if (!spool.isEnabled()) {
            return body;
        }
        Path directory = spool.getDirectory();
        body.put("directory", (directory != null) ? directory.toString() : null);
        body.put("maxBytes", (spool.getMaxBytes() != null) ? spool.getMaxBytes().toBytes() : null);
        if (directory == null || !Files.isDirectory(directory)) {
            body.put("segments", 0);
            body.put("bytes", 0L);
            return body;
        }
        int segments = 0;
        long bytes = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, SEGMENTS)) {
            for (Path file : files) {
                try {
                    bytes += Files.size(file);
                    segments++;
                }
                catch (IOException ex) {
                    // deleted between listing and reading its size: delivered meanwhile
                }
            }
            body.put("segments", segments);
            body.put("bytes", bytes);
        }
        catch (IOException | RuntimeException ex) {
            body.put("error", "cannot read the spool directory: " + ex.getClass().getSimpleName());
        }
        return body;
    }

}
