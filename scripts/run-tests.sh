#!/usr/bin/env bash
# Runs every test of SipSentry: unit tests (Surefire) and integration tests with real SIPp
# (Failsafe). Installs what the tests need when it is missing: SIPp (Debian package sip-tester) and
# secsipidx (Debian package secsipidx, the STIR/SHAKEN interoperability tests' other signer) and
# tshark (LabIT captures the lab kit's run, examples/lab/run-lab.sh --capture).
# Needs Java 17+ and Maven 3.8.7+ (both on the machines we build on).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

as_root() {
  if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi
}

missing=()
command -v sipp >/dev/null 2>&1 || missing+=(sip-tester)
command -v secsipidx >/dev/null 2>&1 || missing+=(secsipidx)
command -v tshark >/dev/null 2>&1 || missing+=(tshark)
if ((${#missing[@]})); then
  echo "run-tests: installing ${missing[*]}..." >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cd "$root"
exec mvn -B -ntp verify "$@"
