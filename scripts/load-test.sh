#!/usr/bin/env bash
# SIPp load through the real launcher: starts a SIPp UAS, `bin/sipsentry run` on the example
# config with --listen/--next-hop, and a SIPp UAC that places CALLS calls at RATE calls/s.
# Prints one summary line and exits 0 only when every call succeeded.
#
#   scripts/load-test.sh [udp|tcp] [CALLS] [RATE]        e.g. scripts/load-test.sh tcp 500 100
#
# Ports: PROXY_PORT (default 25060), UAS_PORT (25080), UAC_PORT (25061), all on 127.0.0.1.
# WARM_CALLS=N (default 0) first places N calls at WARM_RATE/s (default 200) that are not
# counted, so that the measured run sees a JVM whose JIT has settled.
# Work files (logs, SIPp statistics, the audit log) go to LOAD_DIR (default target/load-test).
set -euo pipefail

transport=${1:-udp}
calls=${2:-500}
rate=${3:-100}
case "$transport" in
  udp) sipp_transport=u1 ;;
  tcp) sipp_transport=t1 ;;
  *) echo "usage: $0 [udp|tcp] [CALLS] [RATE]" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
proxy_port=${PROXY_PORT:-25060}
uas_port=${UAS_PORT:-25080}
uac_port=${UAC_PORT:-25061}
work=${LOAD_DIR:-$root/target/load-test}/$transport
rm -rf "$work" && mkdir -p "$work"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

# The example config, with the audit log moved into the work directory.
sed "s|^audit-log:.*|audit-log: $work/audit.jsonl|" "$root/config/sipsentry.example.yaml" \
  > "$work/sipsentry.yaml"

(cd "$work" && exec sipp -sn uas -i 127.0.0.1 -p "$uas_port" -t "$sipp_transport" -nostdin \
  ${UAS_TRACE:+-trace_msg -trace_err} > uas.log 2>&1) &
pids+=($!)

"$root/bin/sipsentry" run --config "$work/sipsentry.yaml" \
  --listen "127.0.0.1:$proxy_port" --next-hop "127.0.0.1:$uas_port" > "$work/sipsentry.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do
  grep -q "SipSentry ready" "$work/sipsentry.log" 2>/dev/null && break
  if ! kill -0 "${pids[1]}" 2>/dev/null; then
    echo "load-test: sipsentry exited:" >&2; cat "$work/sipsentry.log" >&2; exit 1
  fi
  sleep 0.2
done
grep -q "SipSentry ready" "$work/sipsentry.log" || { echo "load-test: sipsentry not ready" >&2; exit 1; }

if (( ${WARM_CALLS:-0} > 0 )); then
  warm_rate=${WARM_RATE:-200}
  (cd "$work" && sipp "127.0.0.1:$proxy_port" -sn uac -i 127.0.0.1 -p "$uac_port" \
    -t "$sipp_transport" -m "$WARM_CALLS" -r "$warm_rate" -nostdin \
    -timeout "$(( WARM_CALLS / warm_rate + 30 ))s" > warm.log 2>&1) || true
  sleep 1
fi

# A generous global timeout: the run itself takes CALLS/RATE seconds.
timeout_s=$(( calls / rate + 30 ))
set +e
(cd "$work" && sipp "127.0.0.1:$proxy_port" -sn uac -i 127.0.0.1 -p "$uac_port" \
  -t "$sipp_transport" -m "$calls" -r "$rate" -nostdin -timeout "${timeout_s}s" -timeout_error \
  -trace_stat -stf stats.csv -trace_err ${UAC_TRACE:+-trace_msg} > uac.log 2>&1)
status=$?
set -e

# SIPp's statistics file: ';'-separated, a header line, then one line per dump; take the last.
column() {
  awk -F';' -v name="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
    { v = $c } END { print v + 0 }' "$work/stats.csv"
}
ok=$(column "SuccessfulCall(C)")
failed=$(column "FailedCall(C)")
# The audit writer flushes whenever its queue runs empty: give it a moment to catch up.
expected_audit=$(( calls + ${WARM_CALLS:-0} ))
audit=0
for _ in $(seq 1 50); do
  audit=$(wc -l < "$work/audit.jsonl" 2>/dev/null || echo 0)
  (( audit >= expected_audit )) && break
  sleep 0.1
done
echo "load-test: $transport calls=$calls rate=$rate/s successful=$ok failed=$failed" \
  "audit-lines=$audit sipp-exit=$status (logs in $work)"
[[ $status == 0 && $ok == "$calls" && $failed == 0 ]]
