#!/usr/bin/env bash
# The SipSentry lab (docs/lab.md): on one machine, on 127.0.0.1 only, it makes an STI PKI with
# openssl, serves its certificate chain over HTTP, starts SipSentry (bin/sipsentry run) with
# examples/lab/lab.yaml in front of a SIPp UAS, signs Identity headers with
# `bin/sipsentry sign`, and plays each scenario with a SIPp UAC from the source address of its
# trunk. For each it compares what happened -- the final response SIPp got, the action and
# reasons of the call's audit line, the verstat the UAS saw -- with what the lab's config makes
# of it, prints a table `scenario | expected | got | result`, and exits 1 on any FAIL.
#
#   examples/lab/run-lab.sh [--keep DIR] [--capture FILE]
#
#   --keep DIR      work in DIR and keep it: config, PKI, logs, SIPp traces, audit log. DIR is
#                   created if missing; if not empty, it must be the work directory of an earlier
#                   run, which is emptied first. Without --keep the work directory is a temporary
#                   one, removed at exit unless a scenario failed.
#   --capture FILE  capture SipSentry's SIP traffic (both legs: callers <-> SipSentry <-> UAS)
#                   with tshark into FILE (pcapng) during the run. Next to it, with FILE's name
#                   without .pcapng: .callers.pcapng, the callers' leg alone (what SipSentry was
#                   sent and answered, without the INVITEs it forwarded); .audit.jsonl, the audit
#                   log; .lab/, the lab config with its trust anchor, list and SP certificate, for
#                   `bin/sipsentry analyze <base>.callers.pcapng --config <base>.lab/lab.yaml
#                   --cert <base>.lab`.
#
# Needs Java 17+, Maven (bin/sipsentry builds the distribution when it is stale), sipp
# (Debian sip-tester), openssl, python3, and tshark for --capture. Ports are chosen free at run
# time. SIPSENTRY=path runs another launcher (e.g. an unpacked distribution's bin/sipsentry).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
sipsentry=${SIPSENTRY:-$root/bin/sipsentry}

usage() {
  echo "usage: $0 [--keep DIR] [--capture FILE]" >&2
}

keep=""
capture=""
while (($#)); do
  case $1 in
    --keep) keep=${2:?--keep needs a directory}; shift 2 ;;
    --capture) capture=${2:?--capture needs a file}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run-lab: unknown argument: $1" >&2; usage; exit 2 ;;
  esac
done

needed=(sipp openssl python3 java)
[[ -n $capture ]] && needed+=(tshark)
for tool in "${needed[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "run-lab: $tool is not installed" >&2; exit 2; }
done

if [[ -n $keep ]]; then
  mkdir -p "$keep"
  work=$(cd "$keep" && pwd)
  # SipSentry and SIPp append to their logs: a kept directory is emptied before it is reused, but
  # only one that a lab run made.
  if [[ -n $(ls -A "$work") ]]; then
    if [[ ! -f $work/.sipsentry-lab ]]; then
      echo "run-lab: --keep $keep: not empty, and not the work directory of a lab run" >&2
      exit 2
    fi
    find "$work" -mindepth 1 -delete
  fi
  touch "$work/.sipsentry-lab"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/sipsentry-lab.XXXXXX")
fi
if [[ -n $capture ]]; then
  mkdir -p "$(dirname "$capture")"
  capture="$(cd "$(dirname "$capture")" && pwd)/$(basename "$capture")"
  capture_base=${capture%.pcapng}
  capture_base=${capture_base%.pcap}
fi

# The numbers of the lab: the bank's branch range is protected (bank-dno.txt): only the carrier
# may originate it, with attestation A.
callee=41446681800
bank=41446681899

pids=()
tshark_pid=""
sentry_pid=""
cleanup() {
  local status=$?
  stop_capture
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ -z $keep ]]; then rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Stops tshark with SIGINT, so that it writes the capture file completely, and waits for it.
stop_capture() {
  if [[ -n $tshark_pid ]]; then
    kill -INT "$tshark_pid" 2>/dev/null || true
    wait "$tshark_pid" 2>/dev/null || true
    tshark_pid=""
  fi
}

# A port free on 127.0.0.1 for both UDP and TCP right now.
free_port() {
  python3 - <<'PY'
import socket
for _ in range(50):
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.bind(("127.0.0.1", 0))
    port = tcp.getsockname()[1]
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        udp.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        udp.close()
        tcp.close()
    print(port)
    break
else:
    raise SystemExit("no free loopback port for UDP and TCP")
PY
}

# Waits up to $2 tenths of a second for the shell condition $1 to hold.
wait_for() {
  local condition=$1 tenths=$2
  for ((i = 0; i < tenths; i++)); do
    if eval "$condition"; then return 0; fi
    sleep 0.1
  done
  eval "$condition"
}

# An STI PKI valid from now (LabPki does the same in Java): a root STI-CA (the proxy's trust
# anchor) -> an intermediate CA -> the service provider's certificate, EC P-256, with a
# TNAuthList of SPC 1234 (RFC 8226 §9: SEQUENCE { [0] EXPLICIT IA5String "1234" }). The chain
# served at the x5u URL is the SP certificate and the intermediate.
make_pki() {
  local pki=$work/pki
  mkdir -p "$pki" "$work/sti-ca" "$work/www"
  openssl ecparam -name prime256v1 -genkey -noout -out "$pki/root.key"
  openssl req -x509 -new -key "$pki/root.key" -sha256 -days 7 \
    -subj "/CN=SipSentry Lab Root STI-CA/O=SipSentry Lab" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$work/sti-ca/root.pem" 2>/dev/null
  openssl ecparam -name prime256v1 -genkey -noout -out "$pki/intermediate.key"
  openssl req -new -key "$pki/intermediate.key" \
    -subj "/CN=SipSentry Lab Intermediate STI-CA/O=SipSentry Lab" -out "$pki/intermediate.csr"
  printf '%s\n' "basicConstraints=critical,CA:TRUE,pathlen:0" \
    "keyUsage=critical,keyCertSign,cRLSign" "subjectKeyIdentifier=hash" \
    "authorityKeyIdentifier=keyid" > "$pki/intermediate.ext"
  openssl x509 -req -in "$pki/intermediate.csr" -CA "$work/sti-ca/root.pem" \
    -CAkey "$pki/root.key" -set_serial "0x$(openssl rand -hex 8)" -sha256 -days 7 \
    -extfile "$pki/intermediate.ext" -out "$pki/intermediate.pem" 2>/dev/null
  openssl ecparam -name prime256v1 -genkey -noout -out "$pki/sp.key"
  openssl req -new -key "$pki/sp.key" -subj "/CN=SHAKEN 1234/O=SipSentry Lab" -out "$pki/sp.csr"
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" \
    "1.3.6.1.5.5.7.1.26=DER:30:08:a0:06:16:04:31:32:33:34" > "$pki/sp.ext"
  openssl x509 -req -in "$pki/sp.csr" -CA "$pki/intermediate.pem" -CAkey "$pki/intermediate.key" \
    -set_serial "0x$(openssl rand -hex 8)" -sha256 -days 2 -extfile "$pki/sp.ext" \
    -out "$pki/sp.pem" 2>/dev/null
  cat "$pki/sp.pem" "$pki/intermediate.pem" > "$work/www/sp.pem"
}

# Writes the SIPp injection file $1 of one call from $2 to the callee, signed now (attestation A).
sign_csv() {
  "$sipsentry" sign --key "$work/pki/sp.key" --x5u "$x5u" --attest A --csv 1 \
    --orig-range "$2" --dest "$callee" --out "$1"
}

# The audit log, read with python3: `call CALL-ID` prints the call's "action reasons" (reasons
# sorted, joined by ',', '-' for none) and its STIR failure id if any, `burst PREFIX` counts the calls whose Call-ID starts
# with PREFIX by outcome. Waits up to 10 s for the lines to be written.
audit_of() {
  python3 - "$audit" "$@" <<'PY'
import json, sys, time
path, mode, key = sys.argv[1], sys.argv[2], sys.argv[3]
want = int(sys.argv[4]) if len(sys.argv) > 4 else 1
deadline = time.time() + 10
while True:
    lines = []
    try:
        with open(path, encoding="utf-8") as audit:
            lines = [json.loads(line) for line in audit if line.strip()]
    except FileNotFoundError:
        pass
    if mode == "call":
        mine = [line for line in lines if line["call-id"] == key]
    else:
        mine = [line for line in lines if line["call-id"].startswith(key)]
    if len(mine) >= want or time.time() > deadline:
        break
    time.sleep(0.1)
if mode == "call":
    if not mine:
        print("no-audit-line")
    else:
        verdict = mine[0]["verdict"]
        failure = mine[0].get("stir", {}).get("failure")
        print(verdict["action"], ",".join(sorted(verdict["reasons"])) or "-",
              *([f"stir-failure={failure}"] if failure else []))
else:
    allowed = sum(1 for line in mine if line["verdict"]["action"] == "allow")
    limited = sum(1 for line in mine
                  if line["verdict"]["action"] == "block"
                  and line["verdict"]["reasons"] == ["rate-exceeded"])
    other = len(mine) - allowed - limited
    print(f"audit:allow={allowed},block(rate-exceeded)={limited}"
          + (f",other={other}" if other else ""))
PY
}

# The verstat the UAS saw on call $1 (on the P-Asserted-Identity, else the From), or "none".
uas_verstat() {
  local line pai from verstat
  line=$(grep -F "uas $1 " "$work/uas-logs.log" 2>/dev/null | head -n 1 || true)
  pai=$(sed -n 's/.* pai=\(.*\) verdict=.*/\1/p' <<< "$line")
  from=$(sed -n 's/.* from=\(.*\) pai=.*/\1/p' <<< "$line")
  verstat=$(grep -o 'verstat=[A-Za-z-]*' <<< "$pai" | head -n 1 || true)
  [[ -z $verstat ]] && verstat=$(grep -o 'verstat=[A-Za-z-]*' <<< "$from" | head -n 1 || true)
  echo "${verstat:-verstat=none}"
}

# Runs SIPp UAC scenario $3 (a file of scenarios/) from source address $2 with injection file
# $4, $5 calls at $6 calls/s; the Call-IDs are "$1-<n>@lab". Returns SIPp's exit status.
sipp_uac() {
  local name=$1 source=$2 scenario=$3 csv=$4 calls=$5 rate=$6
  (cd "$work" && sipp "127.0.0.1:$proxy_port" -sf "$here/scenarios/$scenario" -inf "$csv" \
    -i "$source" -p "$(free_port)" -t u1 -m "$calls" -r "$rate" -cid_str "$name-%u@lab" \
    -nostdin -timeout 20s -timeout_error -trace_logs -log_file "$work/$name-logs.log" \
    -trace_err -error_file "$work/$name-errors.log" -trace_msg -message_file "$work/$name-messages.log" \
    > "$work/$name-sipp.out" 2>&1)
}

# The final response of call 1 of scenario $1: logged by the scenario, else the status line
# of the unexpected message SIPp's error trace names, else "none".
final_code() {
  local code
  code=$(sed -n 's/.*final \([0-9][0-9][0-9]\).*/\1/p' "$work/$1-logs.log" 2>/dev/null | head -n 1)
  if [[ -z $code ]]; then
    code=$(sed -n 's/.*SIP\/2\.0 \([0-9][0-9][0-9]\) .*/\1/p' "$work/$1-errors.log" 2>/dev/null \
      | head -n 1)
  fi
  echo "${code:-none}"
}

rows=()
failures=0
# Records one row of the table.
row() {
  local name=$1 expected=$2 got=$3 result=PASS
  if [[ $expected != "$got" ]]; then
    result=FAIL
    failures=$((failures + 1))
  fi
  rows+=("$(printf '%-18s | %-58s | %-58s | %s' "$name" "$expected" "$got" "$result")")
}

# Plays one call: scenario name $1, from source address $2, SIPp scenario $3, injection file $4;
# $5 is the expected "code action reasons", plus " verstat=..." when the call is forwarded.
play() {
  local name=$1 source=$2 scenario=$3 csv=$4 expected=$5 status=0 code got
  sipp_uac "$name" "$source" "$scenario" "$csv" 1 10 || status=$?
  code=$(final_code "$name")
  got="$code $(audit_of call "$name-1@lab")"
  if [[ $code == 200 ]]; then got+=" $(uas_verstat "$name-1@lab")"; fi
  if ((status != 0)); then got+=" sipp-exit=$status"; fi
  row "$name" "$expected" "$got"
}

# --- set-up ------------------------------------------------------------------------------------

echo "run-lab: work directory $work" >&2
# bin/sipsentry builds the distribution first when it is missing or stale (once, a few minutes).
"$sipsentry" --help > "$work/build.log" 2>&1 \
  || { echo "run-lab: bin/sipsentry does not start:" >&2; cat "$work/build.log" >&2; exit 1; }
started=$(date +%s)

make_pki
proxy_port=$(free_port)
uas_port=$(free_port)
cert_port=$(free_port)
x5u="http://127.0.0.1:$cert_port/sp.pem"
audit=$work/audit.jsonl

python3 -m http.server "$cert_port" --bind 127.0.0.1 --directory "$work/www" \
  > "$work/http.log" 2>&1 &
pids+=($!)
wait_for "(exec 3<>/dev/tcp/127.0.0.1/$cert_port) 2>/dev/null" 100 \
  || { echo "run-lab: the certificate server did not start:" >&2; cat "$work/http.log" >&2; exit 1; }

sed -e "s|\${PROXY_PORT}|$proxy_port|g" -e "s|\${UAS_PORT}|$uas_port|g" \
  -e "s|\${CERT_PORT}|$cert_port|g" -e "s|\${TRUST_ANCHORS}|$work/sti-ca|g" \
  -e "s|\${AUDIT_LOG}|$audit|g" "$here/lab.yaml" > "$work/lab.yaml"
# A placeholder left outside comments is a template the script does not know how to fill.
placeholder='^[^#]*[$][{]'
if grep -q "$placeholder" "$work/lab.yaml"; then
  echo "run-lab: $work/lab.yaml still has a placeholder:" >&2
  grep -n "$placeholder" "$work/lab.yaml" >&2
  exit 1
fi
cp "$here/bank-dno.txt" "$work/"
# The burst: the config's per-caller limit, then five more calls; the first per-caller get through.
per_caller=$(awk '/^rate:/ { rate = 1; next } /^[^ #]/ { rate = 0 }
  rate && $1 == "per-caller:" { print $2; exit }' "$work/lab.yaml")
[[ $per_caller =~ ^[0-9]+$ ]] || { echo "run-lab: no rate.per-caller in lab.yaml" >&2; exit 1; }
burst=$((per_caller + 5))

if [[ -n $capture ]]; then
  tshark -i lo -f "udp port $proxy_port or tcp port $proxy_port" -w "$capture" \
    > "$work/tshark.log" 2>&1 &
  tshark_pid=$!
  pids+=("$tshark_pid")
  # tshark says "Capturing on" when it starts dumpcap; dumpcap then opens the interface and sets
  # the filter, or fails (no permission: "Operation not permitted") and tshark exits.
  wait_for "grep -q 'Capturing on' '$work/tshark.log' || ! kill -0 $tshark_pid 2>/dev/null" 100
  sleep 0.5
  if ! grep -q 'Capturing on' "$work/tshark.log" || ! kill -0 "$tshark_pid" 2>/dev/null; then
    echo "run-lab: tshark does not capture (as a user other than root, see docs/lab.md," \
      "\"Capturing\"):" >&2
    cat "$work/tshark.log" >&2
    exit 1
  fi
fi

(cd "$work" && exec sipp -sf "$here/scenarios/uas.xml" -i 127.0.0.1 -p "$uas_port" -t u1 \
  -nostdin -trace_logs -log_file "$work/uas-logs.log" -trace_err -error_file "$work/uas-errors.log" \
  > "$work/uas-sipp.out" 2>&1) &
uas_pid=$!
pids+=("$uas_pid")

"$sipsentry" run --config "$work/lab.yaml" > "$work/sipsentry.log" 2>&1 &
sentry_pid=$!
pids+=("$sentry_pid")
wait_for "grep -q 'SipSentry ready' '$work/sipsentry.log' 2>/dev/null || ! kill -0 $sentry_pid 2>/dev/null" 600
grep -q 'SipSentry ready' "$work/sipsentry.log" \
  || { echo "run-lab: SipSentry did not start:" >&2; cat "$work/sipsentry.log" >&2; exit 1; }
kill -0 "$uas_pid" 2>/dev/null \
  || { echo "run-lab: the SIPp UAS did not start:" >&2; cat "$work/uas-sipp.out" >&2; exit 1; }

# --- the scenarios -----------------------------------------------------------------------------
# Each: play NAME SOURCE SCENARIO CSV "EXPECTED". Sources: 127.0.0.11 the trusted domestic
# carrier (Identity required, failures rejected), 127.0.0.10 the international transit trunk,
# 127.0.0.1 the untrusted default trunk.

# A legitimate call: the bank's number from the carrier, signed now with attestation A.
sign_csv "$work/legit.csv" "$bank"
play legit-a-attested 127.0.0.11 signed-call.xml "$work/legit.csv" \
  "200 allow stir-attestation-a verstat=TN-Validation-Passed"

# The same Identity header again, on a new Call-ID: a replayed PASSporT.
play replayed-passport 127.0.0.11 signed-call.xml "$work/legit.csv" \
  "608 block passport-replay,stir-attestation-a"

# The bank's number, unsigned, from the international transit trunk: a spoofed bank CLI.
printf 'SEQUENTIAL\n%s;%s\n' "$bank" "$callee" > "$work/bank-spoof.csv"
play spoofed-bank-cli 127.0.0.10 unsigned-call.xml "$work/bank-spoof.csv" \
  "608 block domestic-cli-from-abroad,protected-number,stir-missing"

# A signed P-Asserted-Identity with another number in the From.
sign_csv "$work/mismatch.csv" 41313100001
play from-pai-mismatch 127.0.0.11 mismatch-call.xml "$work/mismatch.csv" \
  "200 label from-pai-mismatch,stir-attestation-a verstat=TN-Validation-Passed"

# A header signed five minutes ago: older than stir.policy.max-age (60 s), 403 Stale Date.
stale_identity=$("$sipsentry" sign --key "$work/pki/sp.key" --x5u "$x5u" --attest A \
  --orig "+41313100002" --dest "+$callee" --iat "$(($(date +%s) - 300))")
printf 'SEQUENTIAL\n%s;%s;%s\n' 41313100002 "$callee" "$stale_identity" > "$work/stale.csv"
play stale-passport 127.0.0.11 signed-call.xml "$work/stale.csv" "403 block stir-failed stir-failure=stale-date"

# No Identity header on the carrier, whose stir.mode is require: 428 Use Identity Header.
printf 'SEQUENTIAL\n%s;%s\n' 41313100003 "$callee" > "$work/missing.csv"
play missing-identity 127.0.0.11 unsigned-call.xml "$work/missing.csv" "428 block stir-failed stir-failure=no-identity"

# An anonymous call: the lab's anonymous-caller rule blocks it with 433 Anonymity Disallowed.
printf 'SEQUENTIAL\nanonymous;%s\n' "$callee" > "$work/anonymous.csv"
play anonymous-call 127.0.0.1 anonymous-call.xml "$work/anonymous.csv" "433 block anonymous-caller"

# A robocall burst: one caller, $burst calls at 50/s; over rate.per-caller, rate-exceeded blocks.
{
  echo SEQUENTIAL
  for ((i = 0; i < burst; i++)); do echo "41225551234;$callee"; done
} > "$work/burst.csv"
status=0
sipp_uac robocall-burst 127.0.0.1 unsigned-call.xml "$work/burst.csv" "$burst" 50 || status=$?
passed=$(grep -c 'final 200' "$work/robocall-burst-logs.log" 2>/dev/null || true)
blocked=$(grep -c 'final 608' "$work/robocall-burst-logs.log" 2>/dev/null || true)
got="200x${passed:-0} 608x${blocked:-0} $(audit_of burst robocall-burst- "$burst")"
if ((status != 0)); then got+=" sipp-exit=$status"; fi
blocked_expected=$((burst - per_caller))
row robocall-burst \
  "200x$per_caller 608x$blocked_expected audit:allow=$per_caller,block(rate-exceeded)=$blocked_expected" \
  "$got"

# --- the result --------------------------------------------------------------------------------

if [[ -n $capture ]]; then
  # The last responses and ACKs are on the wire by now; give dumpcap a moment to write them.
  sleep 0.5
  stop_capture
fi
kill -TERM "$sentry_pid" 2>/dev/null || true
wait "$sentry_pid" 2>/dev/null || true

printf '%-18s | %-58s | %-58s | %s\n' scenario expected got result
for line in "${rows[@]}"; do echo "$line"; done
echo "run-lab: ${#rows[@]} scenarios, $((${#rows[@]} - failures)) PASS, $failures FAIL," \
  "$(($(date +%s) - started)) s"

if [[ -n $capture ]]; then
  lab=$capture_base.lab
  mkdir -p "$lab/sti-ca"
  cp "$audit" "$capture_base.audit.jsonl"
  cp "$work/sti-ca/root.pem" "$lab/sti-ca/"
  cp "$work/www/sp.pem" "$work/bank-dno.txt" "$lab/"
  sed -e "s|^  trust-anchors: .*|  trust-anchors: $lab/sti-ca|" \
    -e "s|^audit-log: .*|audit-log: $lab/analyze-audit.jsonl|" "$work/lab.yaml" > "$lab/lab.yaml"
  # SipSentry forwards each call from its own port: a capture of both legs holds each forwarded
  # INVITE twice (analyze recognises SipSentry's Via on top and skips it). The callers' leg
  # leaves the UAS out.
  tshark -r "$capture" -Y "!(udp.port == $uas_port || tcp.port == $uas_port)" \
    -w "$capture_base.callers.pcapng" 2>> "$work/tshark.log"
  echo "run-lab: capture   $capture"
  echo "run-lab: callers   $capture_base.callers.pcapng"
  echo "run-lab: audit log $capture_base.audit.jsonl"
  echo "run-lab: config    $lab/lab.yaml"
fi
if ((failures > 0)); then
  # What went wrong is in the SIPp traces: keep them.
  keep=$work
  echo "run-lab: FAIL: each scenario's SIPp messages are in $work/<scenario>-messages.log," \
    "SipSentry's log in $work/sipsentry.log"
fi
if [[ -n $keep ]]; then echo "run-lab: logs, traces and config kept in $work"; fi
((failures == 0))
