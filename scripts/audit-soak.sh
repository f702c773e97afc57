#!/usr/bin/env bash
# The audit log's no-loss check outside the test suite: starts a SIPp UAS, `bin/sipsentry run` on
# the example config (audit section kept, file moved into the work directory, rotation at
# MAX_SIZE so that files rotate during the run) and a SIPp UAC that places calls over UDP at
# RATE calls/s for SECONDS seconds. Then compares the INVITEs SIPp sent (its -trace_counts file,
# column 0_INVITE_Sent: initial INVITEs, retransmissions counted apart) with the audit lines of
# every file (rotated ones included) and with the distinct Call-IDs in them; checks GET /ready.
# Prints the comparison and exits non-zero on any mismatch.
#
#   scripts/audit-soak.sh [SECONDS] [RATE]        e.g. scripts/audit-soak.sh 300 1600
#
# Ports: PROXY_PORT (default 26060), UAS_PORT (26080), UAC_PORT (26061), ADMIN_PORT (26090), all
# on 127.0.0.1. MAX_SIZE (default 50MB). Work files go to SOAK_DIR (default target/audit-soak).
set -euo pipefail

seconds=${1:-300}
rate=${2:-1600}
calls=$(( seconds * rate ))
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
proxy_port=${PROXY_PORT:-26060}
uas_port=${UAS_PORT:-26080}
uac_port=${UAC_PORT:-26061}
admin_port=${ADMIN_PORT:-26090}
max_size=${MAX_SIZE:-50MB}
work=${SOAK_DIR:-$root/target/audit-soak}
rm -rf "$work" && mkdir -p "$work/logs"

# shellcheck source=scripts/lib/processes.sh
source "$root/scripts/lib/processes.sh"

sed -e "s|^audit-log:.*|audit-log: $work/logs/audit.jsonl|" \
  -e "s|^  file: var/audit.jsonl.*|  file: $work/logs/audit.jsonl|" \
  -e "s|^  max-size: .*|  max-size: $max_size|" \
  -e "s|^  listen: 127.0.0.1:8080|  listen: 127.0.0.1:$admin_port|" \
  "$root/config/sipsentry.example.yaml" > "$work/sipsentry.yaml"
find "$root/config" -maxdepth 1 -type f ! -name '*.yaml' -exec cp {} "$work/" \;

(cd "$work" && exec sipp -sn uas -i 127.0.0.1 -p "$uas_port" -t u1 -nostdin > uas.log 2>&1) &
pids+=($!)

start_sipsentry audit-soak "$work/sipsentry.yaml" "$work/sipsentry.log" "$proxy_port" "$uas_port"

ready() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$admin_port/ready" || true; }
ready_before=$(ready)

set +e
(cd "$work" && sipp "127.0.0.1:$proxy_port" -sn uac -i 127.0.0.1 -p "$uac_port" -t u1 \
  -m "$calls" -r "$rate" -nostdin -timeout "$(( seconds + 60 ))s" -timeout_error \
  -trace_counts -trace_stat -stf stats.csv > uac.log 2>&1)
sipp_status=$?
set -e
ready_after=$(ready)

counts=$(ls "$work"/uac_*_counts.csv | head -n 1)
sent=$(awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "0_INVITE_Sent") c = i; next }
  { v = $c } END { print v + 0 }' "$counts")
retrans=$(awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "0_INVITE_Retrans") c = i; next }
  { v = $c } END { print v + 0 }' "$counts")
failed=$(awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "FailedCall(C)") c = i; next }
  { v = $c } END { print v + 0 }' "$work/stats.csv")

# The writer flushes whenever its queue runs empty: wait until the count stops growing.
lines=-1
for _ in $(seq 1 100); do
  now=$(cat "$work"/logs/audit*.jsonl 2>/dev/null | wc -l)
  (( now == lines && now >= sent )) && break
  lines=$now
  sleep 0.2
done
lines=$(cat "$work"/logs/audit*.jsonl | wc -l)
distinct=$(cat "$work"/logs/audit*.jsonl | sed -n 's/.*"call-id":"\([^"]*\)".*/\1/p' | sort -u | wc -l)
files=$(ls "$work"/logs/audit*.jsonl | wc -l)
full_warnings=$(grep -c "audit queue full" "$work/sipsentry.log" || true)

echo "audit-soak: ${seconds}s at ${rate}/s udp: invites-sent=$sent (retransmissions $retrans)" \
  "audit-lines=$lines distinct-call-ids=$distinct files=$files failed-calls=$failed" \
  "queue-full-warnings=$full_warnings ready=$ready_before/$ready_after sipp-exit=$sipp_status" \
  "(logs in $work)"
if [[ $sent != "$lines" || $distinct != "$lines" || $full_warnings != 0 ]]; then
  echo "audit-soak: MISMATCH: every initial INVITE must have exactly one audit line" >&2
  exit 1
fi
[[ $ready_before == 200 && $ready_after == 200 ]] || { echo "audit-soak: /ready not 200" >&2; exit 1; }
echo "audit-soak: OK, 0 dropped"
