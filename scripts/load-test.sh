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
#
# SIGNED=1 sends every call with its own signed Identity header and has the proxy verify it:
# the script makes a fresh PKI valid today with openssl (root STI-CA -> SP certificate with a
# TNAuthList, SPC 1234), serves the SP certificate over HTTP on 127.0.0.1:CERT_PORT (default
# 25090; python3 -m http.server), runs the proxy with STIR verification on the UAC's trunk
# (on-failure: reject, so a call that fails verification fails in SIPp), signs one header per
# call with `bin/sipsentry sign --csv` just before each SIPp run (every iat is fresh), and uses
# the scenarios in integration-tests/src/test/resources/sipp/signed-call/: the UAC sends the
# headers, the UAS answers only INVITEs that arrive with verstat=TN-Validation-Passed.
#
#   SIGNED=1 WARM_CALLS=3000 scripts/load-test.sh udp 32000 1600
#
# STIR_MODE=off (with SIGNED=1) sends the same signed calls through a proxy that does not
# verify them, to a UAS that checks nothing: the control that tells the cost of verification
# apart from the cost of bigger INVITEs and of the SIPp scenarios.
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
signed=${SIGNED:-0}
stir_mode=${STIR_MODE:-verify}
cert_port=${CERT_PORT:-25090}
work=${LOAD_DIR:-$root/target/load-test}/$transport$([[ $signed == 1 ]] && echo -signed || true)
rm -rf "$work" && mkdir -p "$work"
scenarios=$root/integration-tests/src/test/resources/sipp/signed-call
# The numbers of the signed calls: callers cycle through a Bern block (outside the example
# config's protected-number list), all call one number.
orig_range=41313100000-41313109999
dest=41446681800

# shellcheck source=scripts/lib/processes.sh
source "$root/scripts/lib/processes.sh"

# The example config, with the audit log moved into the work directory; the files it names
# (number lists) are relative to its folder, so they are copied next to it.
sed -e "s|^audit-log:.*|audit-log: $work/audit.jsonl|" \
  -e "s|^  file: var/audit.jsonl|  file: $work/audit.jsonl|" "$root/config/sipsentry.example.yaml" \
  > "$work/sipsentry.yaml"
find "$root/config" -maxdepth 1 -type f ! -name '*.yaml' -exec cp {} "$work/" \;

# A PKI valid from now for two days: root STI-CA -> SP certificate (EC P-256, TNAuthList with
# SPC 1234: SEQUENCE { [0] EXPLICIT IA5String "1234" }, RFC 8226 section 9).
make_pki() {
  local pki=$work/pki
  mkdir -p "$pki/anchors" "$pki/www"
  openssl ecparam -name prime256v1 -genkey -noout -out "$pki/root.key"
  openssl req -x509 -new -key "$pki/root.key" -sha256 -days 7 \
    -subj "/CN=SipSentry Load Test Root/O=SipSentry Lab" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$pki/anchors/root.pem" 2>/dev/null
  openssl ecparam -name prime256v1 -genkey -noout -out "$pki/sp.key"
  openssl req -new -key "$pki/sp.key" -subj "/CN=SHAKEN 1234/O=SipSentry Lab" \
    -out "$pki/sp.csr" 2>/dev/null
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" \
    "1.3.6.1.5.5.7.1.26=DER:30:08:a0:06:16:04:31:32:33:34" > "$pki/sp.ext"
  openssl x509 -req -in "$pki/sp.csr" -CA "$pki/anchors/root.pem" -CAkey "$pki/root.key" \
    -set_serial "0x$(openssl rand -hex 8)" -sha256 -days 2 -extfile "$pki/sp.ext" \
    -out "$pki/www/sp.pem" 2>/dev/null
}

# Writes the SIPp injection file $1 of $2 freshly signed calls.
sign_calls() {
  "$root/bin/sipsentry" sign --key "$work/pki/sp.key" --x5u "$x5u" --attest A \
    --csv "$2" --orig-range "$orig_range" --dest "$dest" --out "$1"
}

uas_scenario=(-sn uas)
uac_scenario=(-sn uac)
if [[ $signed == 1 ]]; then
  make_pki
  x5u="http://127.0.0.1:$cert_port/sp.pem"
  (cd "$work/pki/www" && exec python3 -m http.server "$cert_port" --bind 127.0.0.1 \
    > "$work/http.log" 2>&1) &
  pids+=($!)
  # The UAC (127.0.0.1) is a trunk whose calls are verified and rejected when they fail.
  cat >> "$work/sipsentry.yaml" <<YAML

# Added by scripts/load-test.sh (SIGNED=1): verify the load test's signed calls.
stir:
  trust-anchors: $work/pki/anchors
  fetch:
    allow-http: true
    allowed-ports: [$cert_port]
    allow-addresses: [loopback]
YAML
  sed -i "s|^trunks:|trunks:\n  - name: load-uac\n    sources: [127.0.0.1/32]\n    stir: {mode: $stir_mode, on-failure: reject}|" \
    "$work/sipsentry.yaml"
  if [[ $stir_mode != off ]]; then
    uas_scenario=(-sf "$scenarios/uas.xml")
  fi
  uac_scenario=(-sf "$scenarios/uac.xml")
fi

(cd "$work" && exec sipp "${uas_scenario[@]}" -i 127.0.0.1 -p "$uas_port" -t "$sipp_transport" -nostdin \
  ${UAS_TRACE:+-trace_msg -trace_err} > uas.log 2>&1) &
pids+=($!)

start_sipsentry load-test "$work/sipsentry.yaml" "$work/sipsentry.log" "$proxy_port" "$uas_port"

if [[ $signed == 1 ]]; then
  # Checks the PKI and the signer once, off the clock; prints the ES256 provider.
  sign_calls "$work/check.csv" 1
  row=$(sed -n 2p "$work/check.csv")
  IFS=';' read -r orig_tn dest_tn identity <<< "$row"
  "$root/bin/sipsentry" verify --identity "$identity" --from "+$orig_tn" --to "+$dest_tn" \
    --cert "$work/pki/www/sp.pem" --trust-anchor "$work/pki/anchors/root.pem" > "$work/check.json" \
    || { echo "load-test: the signed check call does not verify:" >&2; cat "$work/check.json" >&2; exit 1; }
fi

if (( ${WARM_CALLS:-0} > 0 )); then
  warm_rate=${WARM_RATE:-200}
  warm_inf=()
  if [[ $signed == 1 ]]; then
    sign_calls "$work/warm.csv" "$WARM_CALLS"
    warm_inf=(-inf "$work/warm.csv")
  fi
  (cd "$work" && sipp "127.0.0.1:$proxy_port" "${uac_scenario[@]}" "${warm_inf[@]}" \
    -i 127.0.0.1 -p "$uac_port" -t "$sipp_transport" -m "$WARM_CALLS" -r "$warm_rate" -nostdin \
    -timeout "$(( WARM_CALLS / warm_rate + 30 ))s" > warm.log 2>&1) || true
  sleep 1
fi

inf=()
if [[ $signed == 1 ]]; then
  # Signed now, right before the run: every iat is at most a few seconds old when sent.
  sign_calls "$work/calls.csv" "$calls"
  inf=(-inf "$work/calls.csv")
fi

# A generous global timeout: the run itself takes CALLS/RATE seconds.
timeout_s=$(( calls / rate + 30 ))
set +e
(cd "$work" && sipp "127.0.0.1:$proxy_port" "${uac_scenario[@]}" "${inf[@]}" -i 127.0.0.1 \
  -p "$uac_port" -t "$sipp_transport" -m "$calls" -r "$rate" -nostdin -timeout "${timeout_s}s" -timeout_error \
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
provider=""
if [[ $signed == 1 ]]; then
  provider=" signed=1 stir=$stir_mode provider=$(sed -n 's/.*"provider":"\([^"]*\)".*/\1/p' "$work/check.json")"
fi
echo "load-test: $transport$provider calls=$calls rate=$rate/s successful=$ok failed=$failed" \
  "audit-lines=$audit sipp-exit=$status (logs in $work)"
[[ $status == 0 && $ok == "$calls" && $failed == 0 ]]
