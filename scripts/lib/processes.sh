# shellcheck shell=bash
# Sourced by scripts/load-test.sh and scripts/audit-soak.sh: the processes they start in the
# background, stopped when the script exits, and the proxy started through the real launcher.

sipsentry_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

# start_sipsentry NAME CONFIG LOG PROXY_PORT UAS_PORT: `bin/sipsentry run` on CONFIG listening on
# 127.0.0.1:PROXY_PORT and forwarding to 127.0.0.1:UAS_PORT, its output in LOG; waits up to 120 s
# for "SipSentry ready". When it exits or is not ready, prints its log and exits the script, the
# message prefixed with NAME.
start_sipsentry() {
  local name=$1 config=$2 log=$3 proxy_port=$4 uas_port=$5 sentry
  "$sipsentry_root/bin/sipsentry" run --config "$config" \
    --listen "127.0.0.1:$proxy_port" --next-hop "127.0.0.1:$uas_port" > "$log" 2>&1 &
  sentry=$!
  pids+=("$sentry")
  for _ in $(seq 1 600); do
    grep -q "SipSentry ready" "$log" 2>/dev/null && break
    if ! kill -0 "$sentry" 2>/dev/null; then
      echo "$name: sipsentry exited:" >&2; cat "$log" >&2; exit 1
    fi
    sleep 0.2
  done
  grep -q "SipSentry ready" "$log" || { echo "$name: sipsentry not ready" >&2; exit 1; }
}
