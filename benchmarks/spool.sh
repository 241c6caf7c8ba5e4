#!/usr/bin/env bash
# Spool v2 targets (issue 11), as ratios taken in one run on the same machine:
#   capture cost with the spool on <= 3x off      (CaptureBenchmark drainedBurst, 1 and 2 threads)
#   delivered events/s with the spool on >= 0.8x  (Harness throughput, memory-only and spool alternated)
# The two clients are measured back to back (JMH runs them in the same invocation; the harness alternates
# them ROUNDS times), so both see the same load on a shared machine. About 4 minutes on 2 cores.
#
#   benchmarks/spool.sh                 # results in benchmarks/target/spool/
#   SKIP_BUILD=1 ROUNDS=3 benchmarks/spool.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/benchmarks/target/spool"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
ROUNDS=${ROUNDS:-2}
mkdir -p "$OUT"

if [[ -z "${SKIP_BUILD:-}" ]]; then
  ./mvnw -q -B -ntp -Pbenchmarks -pl benchmarks -am package -DskipTests -Dspring-javaformat.skip=true
fi

{
  echo "date: $(date -u +%FT%TZ)"
  echo "uptime-before: $(uptime)"
  echo "nproc: $(nproc)"
  echo "java: $(java -version 2>&1 | head -2 | tail -1)"
  echo "spool directory file system: $(df -hT "${TMPDIR:-/tmp}" | tail -1)"
} > "$OUT/machine.txt"
cat "$OUT/machine.txt"

for t in 1 2; do
  java -jar "$JAR" '\.CaptureBenchmark\.' -p client=posthog4j,posthog4j-spool -f 2 -wi 3 -w 1s -i 5 -r 1s -t "$t" \
      -rf json -rff "$OUT/capture-t$t.json" 2>&1 | tee "$OUT/capture-t$t.log" \
      | grep -E '^(CaptureBenchmark|Benchmark)' || true
  echo "load after capture t=$t: $(uptime)" >> "$OUT/machine.txt"
done

: > "$OUT/throughput.log"
for round in $(seq 1 "$ROUNDS"); do
  for client in posthog4j posthog4j-spool; do
    java -Xms2g -Xmx2g -cp "$JAR" io.github.posthog4j.benchmarks.Harness throughput "$client" 250000 2>&1 \
        | sed "s/^RESULT /RESULT round=$round /" | tee -a "$OUT/throughput.log" | grep '^RESULT' || true
  done
done
echo "uptime-after: $(uptime)" >> "$OUT/machine.txt"

python3 - "$OUT" <<'PY'
import json, os, re, sys
out = sys.argv[1]
print("\n## Spool v2 targets\n")
import statistics
print("| measure | memory only | spool on | spool / memory | ratio of the medians | target | met |")
print("|---|---|---|---|---|---|---|")
for t in (1, 2):
    rows = {}
    for r in json.load(open(os.path.join(out, f"capture-t{t}.json"))):
        if ".CaptureBenchmark." not in r["benchmark"] or "client" not in r.get("params", {}):
            continue
        mode = r["benchmark"].rsplit(".", 1)[1]
        pm = r["primaryMetric"]
        raw = [x for fork in pm["rawData"] for x in fork]
        rows[(mode, r["params"]["client"])] = (pm["score"], pm["scoreError"], statistics.median(raw))
    for mode in ("drainedBurst", "flatOut"):
        mem, spool = rows.get((mode, "posthog4j")), rows.get((mode, "posthog4j-spool"))
        if mem and spool:
            ratio = spool[0] / mem[0]
            median = spool[2] / mem[2]
            target = "<= 3" if mode == "drainedBurst" else "info"
            met = ("yes" if ratio <= 3 else "NO") if mode == "drainedBurst" else ""
            print(f"| capture ns/op, {mode}, {t} thread(s) | {mem[0]:,.0f} ± {mem[1]:,.0f} (median {mem[2]:,.0f}) | "
                  f"{spool[0]:,.0f} ± {spool[1]:,.0f} (median {spool[2]:,.0f}) | {ratio:.2f} | {median:.2f} | "
                  f"{target} | {met} |")
rates = {}
for line in open(os.path.join(out, "throughput.log")):
    if line.startswith("RESULT"):
        d = dict(re.findall(r"(\w+)=(\S+)", line))
        rates.setdefault(d["client"], []).append((int(d["round"]), float(d["eventsPerSec"]), float(d["sd"])))
for (rm, m, msd), (rs, s, ssd) in zip(rates.get("posthog4j", []), rates.get("posthog4j-spool", [])):
    ratio = s / m
    print(f"| delivered events/s, round {rm} | {m:,.0f} ± {msd:,.0f} | {s:,.0f} ± {ssd:,.0f} | {ratio:.2f} | | >= 0.8 | "
          f"{'yes' if ratio >= 0.8 else 'NO'} |")
PY
