#!/usr/bin/env bash
# Runs the JMH benchmarks of sip-core (sip-core/src/test/java/org/sipsentry/bench). They are not
# tests: `mvn verify` compiles them but never runs them. This script compiles the test classes
# (running no tests), builds their classpath with Maven, and runs JMH's own main class with
# every argument passed through.
#
#   scripts/bench.sh                                         every benchmark, JMH's defaults
#   scripts/bench.sh -f 1 -wi 3 -w 2s -i 5 -r 2s Es256Benchmark   one class, shorter runs
#   scripts/bench.sh -h                                      JMH's options
#
# MVN_OPTS_EXTRA (default -o, offline) is passed to Maven. JMH is GPL-2.0 with the Classpath
# Exception and is a test-scoped dependency only: nothing here ships in the distribution.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mvn_opts=${MVN_OPTS_EXTRA:--o}
cp_file="$root/sip-core/target/bench.classpath"

cd "$root"
# sip-core depends on no other module: compiling it and listing its test classpath is enough.
# shellcheck disable=SC2086 # mvn_opts is a list of options
mvn -q -B -ntp -Dstyle.color=never $mvn_opts -pl sip-core test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2

# Run from a private copy of the compiled classes: a build started meanwhile in this checkout
# (mvn clean, a recompilation) must not pull them away from under a running benchmark.
snapshot=$(mktemp -d "${TMPDIR:-/tmp}/sipsentry-bench.XXXXXX")
trap 'rm -rf "$snapshot"' EXIT
cp -r "$root/sip-core/target/classes" "$snapshot/classes"
cp -r "$root/sip-core/target/test-classes" "$snapshot/test-classes"
classpath="$snapshot/test-classes:$snapshot/classes:$(cat "$cp_file")"
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
java ${BENCH_JAVA_OPTS:-} -cp "$classpath" org.openjdk.jmh.Main "$@"
