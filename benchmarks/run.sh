#!/usr/bin/env bash
# Reproduces the table of docs/BENCHMARKS.md: builds the shaded JMH jar (-Pbenchmarks), runs the capture-cost
# benchmark at 1 and 2 threads with -prof gc, then the throughput, stall and memory harness, one JVM per client
# and scenario, and prints a Markdown summary. About 8 minutes on 2 cores. Everything talks to 127.0.0.1 only.
# The harness's sink runs in a JVM of its own (started by each harness JVM, -Xmx512m), as issue 17 measured;
# -Dbench.sink=inproc in the H array below puts it back into the harness's JVM.
#
#   benchmarks/run.sh              # full run, results in benchmarks/target/results/
#   QUICK=1 benchmarks/run.sh      # smoke run (1 short iteration; numbers meaningless)
#   SKIP_BUILD=1 benchmarks/run.sh # reuse benchmarks/target/benchmarks.jar
#   PARTS=throughput benchmarks/run.sh  # only some parts: any of capture,flags,throughput,stall,memory
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/benchmarks/target/results"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
mkdir -p "$OUT"
PARTS="${PARTS:-capture,flags,throughput,stall,memory}"
part() { [[ ",$PARTS," == *",$1,"* ]]; }

if [[ -z "${SKIP_BUILD:-}" ]]; then
  ./mvnw -q -B -ntp -Pbenchmarks -pl benchmarks -am package -DskipTests
fi

if [[ -n "${QUICK:-}" ]]; then
  JMH_OPTS=(-f 1 -wi 1 -w 1s -i 1 -r 1s)
  STALL_SECONDS=3
else
  JMH_OPTS=(-f 1 -wi 3 -w 1s -i 5 -r 1s)
  STALL_SECONDS=15
fi

{
  echo "date: $(date -u +%FT%TZ)"
  echo "uptime-before: $(uptime)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory: $(grep MemTotal /proc/meminfo | awk '{printf "%.1f GiB", $2/1048576}')"
  echo "java: $(java -version 2>&1 | head -2 | tail -1)"
} > "$OUT/machine.txt"
cat "$OUT/machine.txt"

# 1. caller cost (JMH), 1 and 2 threads, with the GC profiler
part capture && for t in 1 2; do
  java -jar "$JAR" '\.CaptureBenchmark\.' "${JMH_OPTS[@]}" -t "$t" -prof gc \
      -rf json -rff "$OUT/capture-t$t.json" 2>&1 | tee "$OUT/capture-t$t.log" \
      | grep -E '^(CaptureBenchmark|Benchmark)|CALLER_ALLOC|OutOfMemory|<failure>' || true
done

# 5. local flag evaluation, ours only
part flags && java -jar "$JAR" FlagEvaluationBenchmark "${JMH_OPTS[@]}" -rf json -rff "$OUT/flags.json" 2>&1 \
    | tee "$OUT/flags.log" | grep -E '^(FlagEvaluationBenchmark|Benchmark)' || true

H=(java -Xms2g -Xmx2g -cp "$JAR" io.github.posthog4j.benchmarks.Harness)
: > "$OUT/harness.log"
run() { "${H[@]}" "$@" 2>&1 | tee -a "$OUT/harness.log" | grep -E '^(RESULT|RUN)|Exception|Error' | cut -c1-400 || true; }

# 2. delivered throughput: 200,003 events from 2 threads, then flush + close; queues sized to hold the burst
# (the ceiling of issue 17: a minimal correct client, Ceiling.java; and ours with its default queue bound)
if part throughput; then
  run throughput ceiling 0
  run throughput posthog4j 250000
  run throughput posthog4j 0
  run throughput posthog-server 250000
  run throughput posthog-java 0
fi

# 3. stalled sink: 100k paced captures healthy, 100k during the stall, then recovery
if part stall; then
  run stall posthog4j 250000 "$STALL_SECONDS"
  run stall posthog4j 0 "$STALL_SECONDS"
  run stall posthog-server 250000 "$STALL_SECONDS"
  run stall posthog-java 0 "$STALL_SECONDS"
fi

# 4. retained heap per queued event (sink stalled)
if part memory; then
  run memory posthog4j
  run memory posthog-server
  run memory posthog-java
fi

echo "uptime-after: $(uptime)" >> "$OUT/machine.txt"
python3 "$ROOT/benchmarks/summarize.py" "$OUT" | tee "$OUT/summary.md"
