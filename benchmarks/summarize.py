#!/usr/bin/env python3
"""Turns the outputs of benchmarks/run.sh into the Markdown tables and target ratios of docs/BENCHMARKS.md."""
import json
import os
import re
import sys

out = sys.argv[1]
OURS, SERVER, LEGACY = "posthog4j", "posthog-server", "posthog-java"
CLIENTS = [OURS, "posthog4j-spool", SERVER, LEGACY]


def kv(line):
    return dict(re.findall(r"(\w+)=(\S+)", line))


def num(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def fmt(x, err=None, digits=0):
    x, err = num(x), num(err)
    if x is None:
        return "n/a"
    s = f"{x:,.{digits}f}"
    if err is not None and err == err and err != float("inf"):  # not NaN
        s += f" ± {err:,.{digits}f}"
    return s


# ---------------------------------------------------------------- capture (JMH)
capture = {}  # (mode, threads, client) -> dict
for t in (1, 2):
    path = os.path.join(out, f"capture-t{t}.json")
    if os.path.exists(path):
        for r in json.load(open(path)):
            if ".CaptureBenchmark." not in r["benchmark"]:
                continue  # another benchmark matched by an older run.sh's pattern
            mode = r["benchmark"].rsplit(".", 1)[1]
            c = r["params"]["client"]
            pm = r["primaryMetric"]
            norm = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {})
            capture[(mode, r["threads"], c)] = {
                "ns": pm["score"], "err": pm["scoreError"],
                "bop": norm.get("score"), "berr": norm.get("scoreError"),
            }
    log = os.path.join(out, f"capture-t{t}.log")
    if os.path.exists(log):
        for line in open(log):
            if "CALLER_ALLOC" in line:
                d = kv(line[line.index("CALLER_ALLOC"):])
                if "client" not in d:
                    continue  # another benchmark's line (ContextCaptureBenchmark)
                key = (d["mode"], int(d["threads"]), d["client"])
                capture.setdefault(key, {}).setdefault("caller", []).append(int(d["bytesPerOp"]))
        # a fork that died (OOM) has no JSON row
        text = open(log).read()
        for m in re.finditer(r"# Benchmark: \S+\.(\w+)\n# Parameters: \(client = (\S+)\)(.*?)(?=# Run complete|# Benchmark:|\Z)", text, re.S):
            if "OutOfMemoryError" in m.group(3) or "<failure>" in m.group(3):
                capture.setdefault((m.group(1), t, m.group(2)), {})["failed"] = True

print("## 1. Caller cost of capture(distinctId, event, 5 properties)\n")
print("ns/op with JMH's 99.9% error; caller B/op is the calling thread's own allocation "
      "(ThreadMXBean, mean over callers); gc B/op is JMH `-prof gc` `gc.alloc.rate.norm`, which counts every "
      "thread of the JVM (the clients' delivery threads and the sink too) over the measured ops.\n")
print("| mode | threads | client | ns/op | caller B/op | gc B/op (all threads) |")
print("|---|---|---|---|---|---|")
for mode in ("drainedBurst", "flatOut"):
    for t in (1, 2):
        for c in CLIENTS:
            r = capture.get((mode, t, c))
            if r is None:
                continue
            if r.get("failed") and "ns" not in r:
                print(f"| {mode} | {t} | {c} | failed (fork died: OutOfMemoryError at -Xmx1g) | | |")
                continue
            caller = r.get("caller")
            cb = f"{sum(caller) / len(caller):,.0f}" if caller else "n/a"
            print(f"| {mode} | {t} | {c} | {fmt(r.get('ns'), r.get('err'))} | {cb} | {fmt(r.get('bop'), r.get('berr'))} |")

# ---------------------------------------------------------------- harness
results = {"throughput": {}, "stall": {}, "memory": {}}
hl = os.path.join(out, "harness.log")
if os.path.exists(hl):
    for line in open(hl):
        if line.startswith("RESULT "):
            d = kv(line)
            scen = line.split()[1]
            key = d["client"]
            if scen == "stall" or (scen == "throughput" and d["client"] == OURS and d.get("queue") == "default"):
                key = d["client"] + "@" + d["queue"]
            results[scen][key] = d

print("\n## 2. Delivered throughput (200,003 events, 2 capturing threads, then flush + close)\n")
print("events/s counted at the sink from the first capture to the last request received: mean ± standard "
      "deviation of 3 runs after 2 warm-up runs; 'cold' is the first run of the fresh JVM. lost = captured − "
      "received (worst run). The sink runs in a JVM of its own (SinkProcess). CPU/event: CPU time from the first "
      "capture until the sink was quiet ÷ events delivered, of the client's whole JVM (client, JIT, GC, harness) "
      "and of both JVMs (plus the sink's). peak heap: the most heap in use right after a collection in the "
      "client's JVM (worst run; 0 = no collection).\n")
print("| client | queue | events/s | cold events/s | lost | requests | gzip | largest body (bytes, uncompressed) | CPU µs/event, client JVM | CPU µs/event, both JVMs | peak heap after GC (MiB) |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for c, d in results["throughput"].items():
    print(f"| {d['client']} | {d['queue']} | {fmt(float(d['eventsPerSec']), float(d['sd']))} | "
          f"{fmt(float(d['coldEventsPerSec'])) if d.get('coldEventsPerSec') else '-'} | {d['maxLost']} | "
          f"{d['requests']} | {d['gzip']} | {int(d['maxBodyBytes']):,} | {fmt(d.get('clientCpuUsPerEvent'), None, 2)} | "
          f"{fmt(d.get('cpuUsPerEvent'), None, 2)} | {fmt(int(d.get('peakHeapBytes', 0)) / 1048576 if d.get('peakHeapBytes') else None)} |")

print("\n## 3. Stalled sink (accepts, answers nothing) \n")
print("Caller latency of 100,000 captures paced at 10k/s against a healthy sink, then of 100,000 during the "
      "stall; then the sink recovers, the client flushes and closes. lost = captured − distinct uuids received.\n")
print("| client | queue | healthy p99 / p99.9 / max (µs) | stalled p99 / p99.9 / max (µs) | p99.9 stalled/healthy | lost | duplicates | queue_full drops counted |")
print("|---|---|---|---|---|---|---|---|")
us = lambda v: f"{int(v) / 1000:,.1f}"
for k, d in results["stall"].items():
    print(f"| {d['client']} | {d['queue']} | {us(d['healthyP99Ns'])} / {us(d['healthyP999Ns'])} / {us(d['healthyMaxNs'])} | "
          f"{us(d['stalledP99Ns'])} / {us(d['stalledP999Ns'])} / {us(d['stalledMaxNs'])} | {float(d['p999Ratio']):.2f} | "
          f"{d['lost']} | {d['duplicates']} | {d['queueFullDrops'] if d['queueFullDrops'] != '-1' else 'not counted'} |")

print("\n## 4. Retained heap per queued event (10,000 events, sink stalled)\n")
print("| client | bytes per queued event |")
print("|---|---|")
for c, d in results["memory"].items():
    print(f"| {c} | {float(d['retainedBytesPerEvent']):,.0f} |")

# ---------------------------------------------------------------- targets
print("\n## Targets (issue 5)\n")
print("| target | measured | met |")
print("|---|---|---|")


def row(name, value, ok):
    mark = ok if isinstance(ok, str) else ('yes' if ok else 'NO')
    print(f"| {name} | {value} | {mark} |")


for mode in ("drainedBurst", "flatOut"):
    for t in (1, 2):
        o, s = capture.get((mode, t, OURS), {}), capture.get((mode, t, SERVER), {})
        if "ns" in o and "ns" in s:
            ratio = o["ns"] / s["ns"]
            row(f"caller ns/op ≤ 1/5 of posthog-server ({mode}, {t} thr)", f"{ratio:.3f} ({o['ns']:,.0f} vs {s['ns']:,.0f})", ratio <= 0.2)
        if o.get("caller") and s.get("caller"):
            ob = sum(o["caller"]) / len(o["caller"])
            sb = sum(s["caller"]) / len(s["caller"])
            row(f"caller B/op ≤ 1/2 of posthog-server ({mode}, {t} thr)", f"{ob / sb:.2f} ({ob:,.0f} vs {sb:,.0f})", ob / sb <= 0.5)
tp = results["throughput"]
if OURS in tp:
    o = float(tp[OURS]["eventsPerSec"])
    if SERVER in tp:
        s = float(tp[SERVER]["eventsPerSec"])
        row("throughput ≥ 4× posthog-server", f"{o / s:.2f}× ({o:,.0f} vs {s:,.0f} ev/s)", o / s >= 4)
    if LEGACY in tp:
        l = float(tp[LEGACY]["eventsPerSec"])
        row("throughput ≥ 2× posthog-java", f"{o / l:.2f}× ({o:,.0f} vs {l:,.0f} ev/s)", o / l >= 2)
    row("zero loss incl. tail on close, gzip on", f"lost {tp[OURS]['maxLost']}, gzip {tp[OURS]['gzip']}",
        tp[OURS]["maxLost"] == "0" and tp[OURS]["gzip"] == "yes")
    mb = int(tp[OURS]["maxBodyBytes"])
    row("every request under the byte limit (ours 5 MiB; PostHog 20 MB)", f"largest {mb:,} B uncompressed", mb < 5 * 1024 * 1024)
st = results["stall"]
big = next((d for k, d in st.items() if d["client"] == OURS and d["queue"] != "default"), None)
dflt = st.get(OURS + "@default")
if big:
    r = float(big["p999Ratio"])
    row("stall: p99.9 within 2× of unstalled", f"{r:.2f}×", r <= 2)
    row("stall: nothing lost after recovery (queue above the stall's captures)", f"lost {big['lost']} (duplicates {big['duplicates']})", big["lost"] == "0")
if dflt:
    lost, qf = int(dflt["lost"]), int(dflt["queueFullDrops"])
    row("stall, default queue: loss = counted queue_full drops", f"lost {lost:,}, queue_full {qf:,}", lost == qf)
mem = results["memory"].get(OURS)
if mem:
    b = float(mem["retainedBytesPerEvent"])
    row("≤ 1 KiB retained per queued event", f"{b:,.0f} B", b <= 1024)
flag = os.path.join(out, "flags.json")
if os.path.exists(flag):
    r = json.load(open(flag))[0]["primaryMetric"]
    row("local flag evaluation (10-condition flag, every condition evaluated)",
        f"{r['score']:,.0f} ± {r['scoreError']:,.0f} ns/op", "n/a (ours only)")
spool = {t: capture.get(("drainedBurst", t, "posthog4j-spool")) for t in (1, 2)}
for t in (1, 2):
    o, sp = capture.get(("drainedBurst", t, OURS), {}), spool.get(t) or {}
    if "ns" in o and "ns" in sp:
        row(f"spool on vs off, caller ns/op (drainedBurst, {t} thr)", f"{sp['ns']:,.0f} vs {o['ns']:,.0f}", "info")

CEIL = "ceiling"
if OURS in tp:
    o = tp[OURS]
    print("\n## Targets (issue 17), ratios from this run\n")
    print("| target | measured | met |")
    print("|---|---|---|")
    # ours twice: with its defaults (what a user gets) and with the queue sized like the others'
    for key, what in ((OURS + "@default", "ours, defaults"), (OURS, "ours, queue 250,000")):
        oo = tp.get(key)
        if not oo:
            continue
        ov = float(oo["eventsPerSec"])
        for other, need, label in ((CEIL, 0.8, "ceiling"), (SERVER, 4, "posthog-server"), (LEGACY, 1.5, "posthog-java")):
            if other in tp:
                v = float(tp[other]["eventsPerSec"])
                row(f"{what}: delivered events/s ≥ {need}× {label}", f"{ov / v:.2f}× ({ov:,.0f} vs {v:,.0f})", ov / v >= need)
        for other, need, label in ((CEIL, 0.8, "ceiling"), (SERVER, 4, "posthog-server")):
            if other in tp and tp[other].get("coldEventsPerSec") and oo.get("coldEventsPerSec"):
                oc, vc = float(oo["coldEventsPerSec"]), float(tp[other]["coldEventsPerSec"])
                row(f"{what}: cold run (first in a fresh JVM) vs {label} (info, target {need}×)", f"{oc / vc:.2f}× ({oc:,.0f} vs {vc:,.0f})", "info")
        if SERVER in tp and tp[SERVER].get("clientCpuUsPerEvent"):
            oc, sc = float(oo["clientCpuUsPerEvent"]), float(tp[SERVER]["clientCpuUsPerEvent"])
            row(f"{what}: whole-JVM CPU per delivered event ≤ 1/4 of posthog-server (client JVM)", f"{oc / sc:.2f} ({oc:.2f} vs {sc:.2f} µs)", oc / sc <= 0.25)
            ob, sb = float(oo["cpuUsPerEvent"]), float(tp[SERVER]["cpuUsPerEvent"])
            row(f"{what}: CPU per delivered event, both JVMs (sink included), vs posthog-server", f"{ob / sb:.2f} ({ob:.2f} vs {sb:.2f} µs)", "info")
        if CEIL in tp and tp[CEIL].get("clientCpuUsPerEvent"):
            oc, cc = float(oo["clientCpuUsPerEvent"]), float(tp[CEIL]["clientCpuUsPerEvent"])
            row(f"{what}: CPU per event vs ceiling (client JVM)", f"{oc / cc:.2f}× ({oc:.2f} vs {cc:.2f} µs)", "info")
    dflt_tp = tp.get(OURS + "@default")
    if dflt_tp:
        row("defaults absorb the 200k burst: 0 lost", f"lost {dflt_tp['maxLost']}, queue_full {dflt_tp['queueFullLastRep']}, peak heap after GC {int(dflt_tp.get('peakHeapBytes', 0)) / 1048576:,.0f} MiB", dflt_tp["maxLost"] == "0")
    for t in (1, 2):
        oc, sc = capture.get(("drainedBurst", t, OURS), {}), capture.get(("drainedBurst", t, SERVER), {})
        if "ns" in oc and "ns" in sc:
            r = oc["ns"] / sc["ns"]
            row(f"caller ns/op ≤ 1/10 of posthog-server (drainedBurst, {t} thr)", f"{r:.3f} ({oc['ns']:,.0f} vs {sc['ns']:,.0f})", r <= 0.1)
        if oc.get("caller") and sc.get("caller"):
            ob, sb = sum(oc["caller"]) / len(oc["caller"]), sum(sc["caller"]) / len(sc["caller"])
            row(f"caller B/op ≤ 1/4 of posthog-server (drainedBurst, {t} thr)", f"{ob / sb:.2f} ({ob:,.0f} vs {sb:,.0f})", ob / sb <= 0.25)
    mb = int(o["maxBodyBytes"])
    for d in results["stall"].values():
        if d["client"] != OURS:
            continue
        mx, mh = int(d["stalledMaxNs"]) / 1000, int(d["healthyMaxNs"]) / 1000
        row(f"stall, queue {d['queue']}: capture max < 2 ms after warm-up (healthy / stalled)", f"{mh:,.1f} / {mx:,.1f} µs", mx < 2000 and mh < 2000)
    row("every request ≤ 5 MiB before compression, and compressed", f"largest {mb:,} B, gzip {o['gzip']}", mb <= 5 * 1024 * 1024 and o["gzip"] == "yes")
