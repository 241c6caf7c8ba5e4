package io.github.posthog4j.compliance.contract;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Finds and reads PostHog's SDK contract ({@code CONTRACT.yaml} and the
 * {@code contracts/*.yaml} it includes with {@code !include}). The contract is data owned
 * by PostHog (MIT): it is read at test time from {@code shared/posthog-sdk-contract/}
 * next to the repository, never copied into it.
 */
public final class ContractLoader {

    /**
     * Where the contract lives relative to a directory that contains the shared folder.
     */
    public static final String CONTRACT_DIR = "shared/posthog-sdk-contract";

    /** Overrides the search (a directory holding CONTRACT.yaml). */
    public static final String DIR_PROPERTY = "posthog.contract.dir";

    private ContractLoader() {
    }

    /**
     * Walks up from {@code start} (the module directory when run by Maven) and returns
     * the first {@code <ancestor>/shared/posthog-sdk-contract} that holds a
     * CONTRACT.yaml: the repository is cloned at X and the contract lives at X/../shared.
     * @param start where to start
     * @return the contract directory
     * @throws IllegalStateException naming every path tried when there is none
     */
    public static Path locate(Path start) {
        List<Path> tried = new ArrayList<>();
        String override = System.getProperty(DIR_PROPERTY);
        if (override != null && !override.isBlank()) {
            Path dir = Path.of(override).toAbsolutePath().normalize();
            if (Files.isRegularFile(dir.resolve("CONTRACT.yaml"))) {
                return dir;
            }
            tried.add(dir.resolve("CONTRACT.yaml"));
        }
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(CONTRACT_DIR);
            if (Files.isRegularFile(candidate.resolve("CONTRACT.yaml"))) {
                return candidate;
            }
            tried.add(candidate.resolve("CONTRACT.yaml"));
        }
        throw new IllegalStateException("PostHog SDK contract not found: expected ../" + CONTRACT_DIR
                + "/CONTRACT.yaml next to the repository root (the repository at X, the contract at X/../"
                + CONTRACT_DIR + "). Paths tried: " + tried + ". Put PostHog/posthog-sdk-test-harness's "
                + "CONTRACT.yaml and contracts/ there, or pass -D" + DIR_PROPERTY + "=<dir>.");
    }

    /**
     * Reads CONTRACT.yaml with its includes resolved.
     * @param contractDir the directory holding CONTRACT.yaml
     * @return the contract as maps, lists and scalars
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> load(Path contractDir) {
        return (Map<String, Object>) read(contractDir.resolve("CONTRACT.yaml"));
    }

    static Object read(Path file) {
        Yaml yaml = new Yaml(new IncludingConstructor(file.getParent()));
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return yaml.load(reader);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read contract file " + file, ex);
        }
    }

    /**
     * SafeConstructor plus {@code !include <path>}, resolved against the including file's
     * directory.
     */
    static final class IncludingConstructor extends SafeConstructor {

        IncludingConstructor(Path baseDir) {
            super(new LoaderOptions());
            this.yamlConstructors.put(new Tag("!include"), new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String relative = constructScalar((ScalarNode) node);
                    Path included = baseDir.resolve(relative).normalize();
                    if (!Files.isRegularFile(included)) {
                        throw new IllegalStateException("!include " + relative + ": no file " + included);
                    }
                    return read(included);
                }
            });
        }

    }

}
