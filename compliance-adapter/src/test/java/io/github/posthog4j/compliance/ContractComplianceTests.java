package io.github.posthog4j.compliance;

import io.github.posthog4j.compliance.contract.AdapterClient;
import io.github.posthog4j.compliance.contract.ContractLoader;
import io.github.posthog4j.compliance.contract.ContractRunner;
import io.github.posthog4j.compliance.contract.MockPosthog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * PostHog's SDK compliance contract as JUnit dynamic tests, one per contract test, named
 * {@code suite/category/test}.
 *
 * <p>
 * Reads {@code ../shared/posthog-sdk-contract/CONTRACT.yaml} (see
 * {@link ContractLoader#locate}), starts the adapter in-process on a random port and a
 * mock PostHog on loopback, and runs every test of {@link #SUITES} whose
 * {@code sdk_types} include {@value #SDK_TYPE}, through the adapter's HTTP interface
 * exactly as the harness would. A test whose {@code requires} is not among the
 * capabilities the adapter's {@code /health} declares is reported as skipped, naming the
 * capability. Tests run concurrently (each with its own {@code test_id}) when the adapter
 * declares {@code supports_parallel}.
 */
class ContractComplianceTests {

    static final List<String> SUITES = List.of("capture", "feature_flags");

    static final String SDK_TYPE = "server";

    /**
     * Contract tests in flight at once; most of their time is the contract's own waits.
     */
    static final int CONCURRENCY = 16;

    private static MockPosthog mock;

    private static AdapterClient adapter;

    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        mock = ComplianceEnvironment.mock();
        adapter = ComplianceEnvironment.adapter();
    }

    @AfterAll
    static void stop() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicTest> contract() {
        Map<String, Object> contract = ContractLoader.load(ContractLoader.locate(Path.of("")));
        Map<String, Object> health = adapter.health();
        List<String> capabilities = (health.get("capabilities") instanceof List<?> l)
                ? l.stream().map(String::valueOf).toList() : List.of();
        boolean parallel = Boolean.TRUE.equals(health.get("supports_parallel"));
        pool = Executors.newFixedThreadPool(parallel ? CONCURRENCY : 1, daemon());

        Map<String, Object> suites = (Map<String, Object>) contract.get("test_suites");
        List<DynamicTest> tests = new ArrayList<>();
        for (String suiteName : SUITES) {
            Map<String, Object> suite = (suites != null) ? (Map<String, Object>) suites.get(suiteName) : null;
            if (suite == null) {
                tests.add(DynamicTest.dynamicTest(suiteName, () -> {
                    throw new AssertionError("suite " + suiteName + " missing from CONTRACT.yaml test_suites");
                }));
                continue;
            }
            String suiteMissing = missing(suite.get("requires"), capabilities);
            Map<String, Object> categories = (Map<String, Object>) suite.getOrDefault("categories", Map.of());
            for (Map.Entry<String, Object> category : categories.entrySet()) {
                Map<String, Object> categoryDef = (Map<String, Object>) category.getValue();
                for (Object item : (List<Object>) categoryDef.getOrDefault("tests", List.of())) {
                    Map<String, Object> test = (Map<String, Object>) item;
                    List<Object> sdkTypes = (List<Object>) test.getOrDefault("sdk_types", List.of());
                    if (!sdkTypes.isEmpty() && !sdkTypes.contains(SDK_TYPE)) {
                        continue; // not applicable to a server SDK
                    }
                    String name = suiteName + "/" + category.getKey() + "/" + test.get("name");
                    String missing = (suiteMissing != null) ? suiteMissing
                            : missing(test.get("requires"), capabilities);
                    if (missing != null) {
                        tests.add(DynamicTest.dynamicTest(name, () -> Assumptions.abort("requires capability " + missing
                                + ", not declared by the adapter's /health " + capabilities)));
                    }
                    else {
                        Future<?> result = pool.submit(() -> runOne(test));
                        tests.add(DynamicTest.dynamicTest(name, () -> await(result)));
                    }
                }
            }
        }
        return tests.stream();
    }

    private static void runOne(Map<String, Object> test) {
        ContractRunner runner = new ContractRunner(adapter, mock, "t-" + UUID.randomUUID());
        try {
            runner.run(test);
        }
        finally {
            try {
                runner.reset(); // closes this test's client
            }
            catch (AssertionError ignored) {
                // the test's own outcome is what matters
            }
        }
    }

    private static void await(Future<?> result) throws Throwable {
        try {
            result.get(3, TimeUnit.MINUTES);
        }
        catch (ExecutionException ex) {
            throw ex.getCause();
        }
        catch (TimeoutException ex) {
            result.cancel(true);
            throw new AssertionError("contract test did not finish within 3 minutes", ex);
        }
    }

    /**
     * @return the first required capability not declared, or null when all are
     */
    static String missing(Object requires, List<String> capabilities) {
        List<Object> required = (requires == null) ? List.of()
                : (requires instanceof List<?> l) ? new ArrayList<>(l) : List.of(requires);
        for (Object capability : required) {
            if (!capabilities.contains(String.valueOf(capability))) {
                return String.valueOf(capability);
            }
        }
        return null;
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "contract-test-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

}
