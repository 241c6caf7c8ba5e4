package io.github.posthog4j.benchmarks;

import io.github.posthog4j.client.internal.flags.FlagDefinitions;
import io.github.posthog4j.client.internal.flags.FlagEvaluationContext;
import io.github.posthog4j.client.internal.flags.FlagEvaluationResult;
import io.github.posthog4j.client.internal.flags.LocalFlagEvaluator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Benchmark 5: one local evaluation of a flag with 10 conditions (person-property filters
 * of several operators: exact, icontains, regex, gt, semver, date, is_set...), where only
 * the last condition matches, so every condition is evaluated, then the rollout hash.
 * Ours only: neither official Java SDK evaluates locally.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms512m", "-Xmx512m" })
@State(Scope.Benchmark)
public class FlagEvaluationBenchmark {

    static final String DEFINITIONS = ("{'flags': [{'id': 1, 'key': 'ten-conditions', 'active': true, 'filters':"
            + " {'groups': [" + cond("'key': 'email', 'value': 'nobody@example.com', 'operator': 'exact'")
            + cond("'key': 'email', 'value': '@competitor.com', 'operator': 'icontains'")
            + cond("'key': 'country', 'value': '^(DE|FR|IT)$', 'operator': 'regex'")
            + cond("'key': 'age', 'value': '65', 'operator': 'gt'")
            + cond("'key': 'app_version', 'value': '9.0.0', 'operator': 'semver_gte'")
            + cond("'key': 'signup', 'value': '2020-01-01', 'operator': 'is_date_before'")
            + cond("'key': 'plan', 'value': ['enterprise', 'gold'], 'operator': 'exact'")
            + cond("'key': 'beta_opt_out', 'value': 'is_set', 'operator': 'is_set'")
            + cond("'key': 'name', 'value': 'zz', 'operator': 'starts_with'")
            + "{'properties': [{'key': 'plan', 'value': 'pro', 'operator': 'exact', 'type': 'person'}],"
            + " 'rollout_percentage': 100}" + "]}}], 'group_type_mapping': {}, 'cohorts': {}}")
        .replace('\'', '"');

    private static String cond(String property) {
        return "{'properties': [{" + property + ", 'type': 'person'}], 'rollout_percentage': 100},";
    }

    LocalFlagEvaluator evaluator;

    FlagEvaluationContext context;

    @Setup
    public void setUp() {
        evaluator = new LocalFlagEvaluator(FlagDefinitions.parse(DEFINITIONS));
        Map<String, Object> person = Map.of("email", "ada@example.com", "country", "GB", "age", 36, "app_version",
                "2.3.1", "signup", "2024-05-06", "plan", "pro", "name", "Ada");
        context = FlagEvaluationContext.of("user-4711", Map.of(), person, Map.of());
        FlagEvaluationResult r = evaluator.evaluate("ten-conditions", context);
        if (r.isInconclusive() || !Boolean.TRUE.equals(r.value())) {
            throw new IllegalStateException("benchmark flag must match on its last condition: " + r);
        }
    }

    @Benchmark
    public FlagEvaluationResult tenConditionFlag() {
        return evaluator.evaluate("ten-conditions", context);
    }

}
