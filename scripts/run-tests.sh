#!/usr/bin/env bash
# Runs every test of SipSentry: unit tests (Surefire) and integration tests with real SIPp
# (Failsafe). Installs what the tests need when it is missing: SIPp (Debian package sip-tester),
# secsipidx (the STIR/SHAKEN interoperability tests' other signer), Kamailio with its http_client
# and json modules (KamailioStirIT) and tshark (AnalyzeIT and LabIT capture on lo).
# Needs Java 17+ and Maven 3.8.7+ (both on the machines we build on).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

as_root() {
  if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi
}

missing=()
command -v sipp >/dev/null 2>&1 || missing+=(sip-tester)
command -v secsipidx >/dev/null 2>&1 || missing+=(secsipidx)
# KamailioStirIT: Kamailio (GPL, a test tool only, never shipped) calling SipSentry's STIR REST API
# through its http_client module and reading the answer with its json module.
command -v kamailio >/dev/null 2>&1 || [[ -x /usr/sbin/kamailio ]] || missing+=(kamailio)
compgen -G '/usr/lib/*/kamailio/modules/http_client.so' >/dev/null || missing+=(kamailio-utils-modules)
compgen -G '/usr/lib/*/kamailio/modules/json.so' >/dev/null || missing+=(kamailio-json-modules)
# tshark: AnalyzeIT and LabIT capture SIPp calls on lo (as root or with CAP_NET_RAW).
command -v tshark >/dev/null 2>&1 || missing+=(tshark)
if ((${#missing[@]})); then
  echo "run-tests: installing ${missing[*]}..." >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cd "$root"
exec mvn -B -ntp verify "$@"
