#!/usr/bin/env bash
# Runs the JMH benchmarks of one module (sip-core by default: sip-core/src/test/java/org/sipsentry/bench;
# detector: detector/src/test/java/org/sipsentry/detector/bench). They are not tests: `mvn verify`
# compiles them but never runs them. This script compiles the module's test classes (running no
# tests), builds their classpath with Maven, and runs JMH's own main class with every other
# argument passed through.
#
#   scripts/bench.sh                                         sip-core's benchmarks, JMH's defaults
#   scripts/bench.sh -f 1 -wi 3 -w 2s -i 5 -r 2s Es256Benchmark   one class, shorter runs
#   scripts/bench.sh --module detector -f 1 -wi 3 -w 2s -i 5 -r 2s DetectorBenchmark
#   scripts/bench.sh -h                                      JMH's options
#
# --module must come first. The detector's classpath holds sip-core's test classes, so its
# benchmarks are listed there too: name the ones to run. MVN_OPTS_EXTRA (default -o, offline) is passed to Maven. JMH is GPL-2.0
# with the Classpath Exception and is a test-scoped dependency only: nothing here ships in the
# distribution.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mvn_opts=${MVN_OPTS_EXTRA:--o}
module=sip-core
if [[ ${1:-} == --module ]]; then
  module=${2:?--module needs a module name: sip-core or detector}
  shift 2
fi
case "$module" in
  sip-core | detector) ;;
  *)
    echo "bench.sh: --module $module: expected sip-core or detector" >&2
    exit 2
    ;;
esac
cp_file="$root/$module/target/bench.classpath"

cd "$root"
# -am compiles the modules the benchmarked one depends on in the same reactor (detector uses
# sip-core's classes and test classes from their target folders); nothing is installed, no test
# runs. Each module writes its classpath to its own file; only the benchmarked module's is used.
# shellcheck disable=SC2086 # mvn_opts is a list of options
mvn -q -B -ntp -Dstyle.color=never $mvn_opts -pl "$module" -am test-compile \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >&2

# Run from a private copy of the compiled classes: a build started meanwhile in this checkout
# (mvn clean, a recompilation) must not pull them away from under a running benchmark.
snapshot=$(mktemp -d "${TMPDIR:-/tmp}/sipsentry-bench.XXXXXX")
trap 'rm -rf "$snapshot"' EXIT
cp -r "$root/$module/target/classes" "$snapshot/classes"
cp -r "$root/$module/target/test-classes" "$snapshot/test-classes"
classpath="$snapshot/test-classes:$snapshot/classes:$(cat "$cp_file")"
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
java ${BENCH_JAVA_OPTS:-} -cp "$classpath" org.openjdk.jmh.Main "$@"
