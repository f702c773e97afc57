#!/usr/bin/env bash
# How the captures made for these tests were made (2026-12-04, SIPp 3.x, tshark 4.0 on Debian,
# as root: capturing on lo needs CAP_NET_RAW). Run in this directory; writes ../captures.
# The UAC scenario is integration-tests' sipp/identity-call/uac-with-pai.xml with
# from_user=+41446681802 and pai_user=+41791234567 filled in (uac-pai.xml here).
set -euo pipefail
out=../captures
port=$((20000 + RANDOM % 10000))

capture() { # iface file filter -- then runs the rest as the UAC
  local iface=$1 file=$2 filter=$3; shift 3
  timeout 25 tshark -i "$iface" -w "$file" -f "$filter" -a duration:6 >/dev/null 2>&1 & local ts=$!
  sleep 2
  "$@" >/dev/null 2>&1
  wait "$ts"
}

sipp -sn uas -i ::1 -p "$port" >/dev/null 2>&1 & uas=$!
capture lo "$out/ipv6-udp.pcapng" "udp port $port" \
  sipp "[::1]:$port" -i ::1 -sf uac-pai.xml -m 2 -r 5 -timeout 8 -timeout_error
# -i any: Linux cooked capture (SLL) around IPv6.
capture any "$out/sll-ipv6.pcapng" "udp port $port" \
  sipp "[::1]:$port" -i ::1 -sf uac-pai.xml -m 1 -timeout 8 -timeout_error
kill "$uas"

sipp -sn uas -i 127.0.0.1 -p "$port" -t t1 >/dev/null 2>&1 & uas=$!
capture lo "$out/tcp-ipv4.pcapng" "tcp port $port" \
  sipp "127.0.0.1:$port" -i 127.0.0.1 -t t1 -sf uac-pai.xml -m 2 -r 5 -timeout 8 -timeout_error
kill "$uas"

# Derived copies.
editcap -F nsecpcap "$out/sipp.pcap" "$out/sipp-nsec.pcap"
head -c 5000 "$out/sipp.pcap" > "$out/sipp-truncated.pcap"
head -c 3000 "$out/tcp-ipv4.pcapng" > "$out/tcp-ipv4-truncated.pcapng"
(cd "$out" && python3 ../make/corrupt.py)
