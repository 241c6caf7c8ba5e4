#!/usr/bin/env bash
# Spring AOT on the JVM: builds the sample app with process-aot (-Paot), starts the jar with
# -Dspring.aot.enabled=true on a free port, and exercises one capture (it must reach the embedded sink)
# and one feature flag (evaluated locally from the definitions the client polled). Stops the app it
# started. A native image is out of scope (no GraalVM here): see docs/SPRING-BOOT.md.
set -euo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp -t aot-smoke-XXXXXX.log)
echo "== AOT smoke test: building the sample app with process-aot"
if ! ./mvnw -B -ntp -Paot -pl sample-app -am -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package >"$log" 2>&1; then
  tail -n 60 "$log" >&2
  exit 1
fi
metadata=$(find sample-app/target/spring-aot/main/resources/META-INF/native-image -name '*.json' | tr '\n' ' ')

jar=sample-app/target/posthog-sample-app.jar
java -Dspring.aot.enabled=true -jar "$jar" --server.port=0 >"$log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
trap cleanup EXIT

passed=0
failed=0
check() { # name, then a command that must succeed
  local name=$1
  shift
  if "$@"; then
    echo "  ok: $name"
    passed=$((passed + 1))
  else
    echo "  FAILED: $name"
    failed=$((failed + 1))
  fi
}

port=
for _ in $(seq 1 120); do
  port=$(sed -n 's/.*Tomcat started on port[^0-9]*\([0-9][0-9]*\).*/\1/p' "$log" | head -n 1)
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
if [ -z "$port" ]; then
  echo "AOT smoke test: the app did not start; its log:" >&2
  cat "$log" >&2
  exit 1
fi
base="http://localhost:$port"
echo "== AOT smoke test against $base"

# eventually CMD...: retries for up to 30 s
eventually() {
  for _ in $(seq 1 60); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  return 1
}

# shellcheck disable=SC2086 # the metadata files are a word list
# (the JSON may escape its slashes)
check "hints: the client's version resource" grep -Eq 'posthog4j\\?/client\\?/version\.properties' $metadata
# shellcheck disable=SC2086
check "hints: posthog.* property groups" grep -q 'io.github.posthog4j.autoconfigure.PosthogProperties\$Spool' $metadata
check "started from the AOT-generated context" grep -q "Starting AOT-processed SampleApplication" "$log"

uuid=$(curl -sf -X POST "$base/api/events" -H 'Content-Type: application/json' \
  -d '{"distinctId":"aot-user","event":"aot smoke","properties":{"mode":"aot"}}' \
  | sed -n 's/.*"uuid":"\([^"]*\)".*/\1/p')
check "capture accepted" test -n "$uuid"
sink_has_uuid() { curl -sf "$base/sink/events" | grep -q "\"uuid\":\"$uuid\""; }
check "captured event delivered to the sink" eventually sink_has_uuid

definitions_loaded() { curl -sf "$base/actuator/posthog" | grep -q '"definitions":{"loaded":true'; }
check "flag definitions loaded" eventually definitions_loaded
checkout=$(curl -sf "$base/api/checkout?user=aot-user" || true)
check "flag-driven checkout answered" grep -Eq '"checkout":"(new|classic)".*"buttonColor":"(blue|green)"' <<<"$checkout"
local_evaluations() {
  curl -sf "$base/actuator/metrics/posthog.flags.evaluations?tag=source:local" \
    | grep -Eq '"value":[1-9]'
}
check "flag evaluated locally" local_evaluations

echo "AOT smoke test: $passed passed, $failed failed"
if [ "$failed" -ne 0 ]; then
  echo "--- app log" >&2
  tail -n 80 "$log" >&2
  exit 1
fi
rm -f "$log"
