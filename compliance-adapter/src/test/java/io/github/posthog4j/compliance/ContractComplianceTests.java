package io.github.posthog4j.compliance;

import io.github.posthog4j.compliance.contract.AdapterClient;
import io.github.posthog4j.compliance.contract.ContractLoader;
import io.github.posthog4j.compliance.contract.ContractRunner;
import io.github.posthog4j.compliance.contract.MockPosthog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.TestAbortedException;

/**
 * PostHog's SDK compliance contract as JUnit dynamic tests, every suite in every adapter
 * mode, one test per contract test, named {@code mode/suite/category/test}.
 *
 * <p>
 * Reads {@code ../shared/posthog-sdk-contract/CONTRACT.yaml} (see
 * {@link ContractLoader#locate}), starts the adapter in-process on a random port once per
 * {@link #MODES mode} and a mock PostHog on loopback, and runs every test of
 * {@link #SUITES} whose {@code sdk_types} include {@value #SDK_TYPE}, through the
 * adapter's HTTP interface exactly as the harness would. A test whose {@code requires} is
 * not among the capabilities the mode's {@code /health} declares is reported as skipped,
 * naming the capability; a test for client SDKs only is not applicable (not run). Tests
 * run concurrently (each with its own {@code test_id}) when the adapter declares
 * {@code supports_parallel}. At the end, passed / failed / skipped / not applicable per
 * mode and suite are printed and written to {@code target/contract-summary.txt}.
 */
class ContractComplianceTests {

    static final List<String> SUITES = List.of("capture", "feature_flags", "capture_v1", "capture_ai");

    /**
     * The adapter modes: plain (capture v0), capture v1, and capture v1 with zstd bodies
     * (only where zstd-jni loads). Each declares its protocol, capture_ai_v0 and the one
     * encoding {@code enable_compression} turns on.
     */
    static final Map<String, String[]> MODES = modes();

    static final String SDK_TYPE = "server";

    /**
     * Contract tests in flight at once; most of their time is the contract's own waits.
     */
    static final int CONCURRENCY = 16;

    /**
     * Contract tests that assume capture v0 where they test something else: run in the
     * capture v1 modes with the analytics path they assert adapted to v1's route (their
     * point stays checked), and listed in the summary.
     */
    static final Map<String, String> V0_PATH_ASSUMED = Map.of(
            "capture_ai/routing/capture_does_not_reroute_ai_named_events",
            "asserts the analytics route is /batch (capture v0); with capture v1 it is " + "/i/v1/analytics/events, "
                    + "so that one step expects the v1 route; the test's point, no request to /i/v0/ai/batch/, is "
                    + "checked unchanged");

    private static final List<String> ADAPTED = java.util.Collections.synchronizedList(new ArrayList<>());

    private static final Map<String, int[]> SUMMARY = java.util.Collections.synchronizedMap(new LinkedHashMap<>());

    private static MockPosthog mock;

    private static ExecutorService pool;

    private static ExecutorService serial;

    private static Map<String, String[]> modes() {
        Map<String, String[]> modes = new LinkedHashMap<>();
        modes.put("capture_v0", new String[0]);
        modes.put("capture_v1", new String[] { "--posthog.capture-protocol=v1" });
        if (AdapterMode.zstdLoads()) {
            modes.put("capture_v1+zstd",
                    new String[] { "--posthog.capture-protocol=v1", "--posthog.compression-encoding=zstd" });
        }
        return modes;
    }

    @BeforeAll
    static void start() {
        mock = ComplianceEnvironment.mock();
    }

    @AfterAll
    static void stop() throws IOException {
        if (pool != null) {
            pool.shutdownNow();
            serial.shutdownNow();
        }
        StringBuilder text = new StringBuilder("Contract results (passed / failed / skipped / not applicable):\n");
        SUMMARY.forEach((key, counts) -> text
            .append(String.format("  %-40s %3d / %d / %3d / %d%n", key, counts[0], counts[1], counts[2], counts[3])));
        for (String adapted : ADAPTED) {
            text.append("  adapted: ").append(adapted).append('\n');
        }
        System.out.print(text);
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("contract-summary.txt"), text);
        }
    }

    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicNode> contract() {
        Map<String, Object> contract = ContractLoader.load(ContractLoader.locate(Path.of("")));
        pool = Executors.newFixedThreadPool(CONCURRENCY, daemon());
        serial = Executors.newSingleThreadExecutor(daemon());
        Map<String, Object> suites = (Map<String, Object>) contract.get("test_suites");
        List<DynamicNode> modes = new ArrayList<>();
        for (Map.Entry<String, String[]> mode : MODES.entrySet()) {
            AdapterClient adapter = ComplianceEnvironment.adapter(mode.getValue());
            Map<String, Object> health = adapter.health();
            List<String> capabilities = (health.get("capabilities") instanceof List<?> l)
                    ? l.stream().map(String::valueOf).toList() : List.of();
            boolean parallel = Boolean.TRUE.equals(health.get("supports_parallel"));
            List<DynamicNode> tests = new ArrayList<>();
            for (String suiteName : SUITES) {
                Map<String, Object> suite = (suites != null) ? (Map<String, Object>) suites.get(suiteName) : null;
                if (suite == null) {
                    tests.add(DynamicTest.dynamicTest(suiteName, () -> {
                        throw new AssertionError("suite " + suiteName + " missing from CONTRACT.yaml test_suites");
                    }));
                    continue;
                }
                int[] counts = SUMMARY.computeIfAbsent(mode.getKey() + " " + suiteName, (k) -> new int[4]);
                String suiteMissing = missing(suite.get("requires"), capabilities);
                Map<String, Object> categories = (Map<String, Object>) suite.getOrDefault("categories", Map.of());
                for (Map.Entry<String, Object> category : categories.entrySet()) {
                    Map<String, Object> categoryDef = (Map<String, Object>) category.getValue();
                    for (Object item : (List<Object>) categoryDef.getOrDefault("tests", List.of())) {
                        Map<String, Object> test = (Map<String, Object>) item;
                        List<Object> sdkTypes = (List<Object>) test.getOrDefault("sdk_types", List.of());
                        if (!sdkTypes.isEmpty() && !sdkTypes.contains(SDK_TYPE)) {
                            synchronized (counts) {
                                counts[3]++; // not applicable to a server SDK
                            }
                            continue;
                        }
                        String name = mode.getKey() + "/" + suiteName + "/" + category.getKey() + "/"
                                + test.get("name");
                        String missing = (suiteMissing != null) ? suiteMissing
                                : missing(test.get("requires"), capabilities);
                        if (missing != null) {
                            synchronized (counts) {
                                counts[2]++;
                            }
                            tests.add(DynamicTest.dynamicTest(name, () -> Assumptions.abort("requires capability "
                                    + missing + ", not declared by the adapter's /health " + capabilities)));
                        }
                        else {
                            String key = suiteName + "/" + category.getKey() + "/" + test.get("name");
                            if (capabilities.contains("capture_v1") && V0_PATH_ASSUMED.containsKey(key)) {
                                test = toV1Route(test);
                                ADAPTED.add(mode.getKey() + "/" + key + ": " + V0_PATH_ASSUMED.get(key));
                            }
                            Map<String, Object> toRun = test;
                            Future<?> result = (parallel ? pool : serial).submit(() -> runOne(adapter, toRun));
                            tests.add(DynamicTest.dynamicTest(name, () -> await(result, counts)));
                        }
                    }
                }
            }
            modes.add(DynamicContainer.dynamicContainer(mode.getKey(), tests));
        }
        return modes.stream();
    }

    /**
     * The test with its {@code assert_request_path /batch} expecting capture v1's route.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> toV1Route(Map<String, Object> test) {
        Map<String, Object> copy = MockPosthog.copy(test);
        for (Object step : (List<Object>) copy.getOrDefault("steps", List.of())) {
            Map<String, Object> s = (Map<String, Object>) step;
            if ("assert_request_path".equals(s.get("action")) && s.get("params") instanceof Map<?, ?> params
                    && "/batch".equals(params.get("expected"))) {
                ((Map<String, Object>) params).put("expected", "/i/v1/analytics/events");
            }
        }
        return copy;
    }

    private static void runOne(AdapterClient adapter, Map<String, Object> test) {
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

    private static void await(Future<?> result, int[] counts) throws Throwable {
        try {
            result.get(3, TimeUnit.MINUTES);
            synchronized (counts) {
                counts[0]++;
            }
        }
        catch (ExecutionException ex) {
            synchronized (counts) {
                counts[(ex.getCause() instanceof TestAbortedException) ? 2 : 1]++;
            }
            throw ex.getCause();
        }
        catch (TimeoutException ex) {
            synchronized (counts) {
                counts[1]++;
            }
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
