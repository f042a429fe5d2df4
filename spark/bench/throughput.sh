#!/usr/bin/env bash
# Sentences/s of `./t4j spark translate` against `./t4j translate` alone on this machine: the overhead of Spark.
#
#   spark/bench/throughput.sh MODEL INPUT [RUNS] [EXTRA TRANSLATE OPTIONS...]
#
# Each round runs, one after the other on the same input and options: t4j translate (all processors as threads);
# t4j spark in its embedded local[N] (one task at a time with N threads); local-cluster with one executor process of
# N cores (spark.task.cpus=N); local-cluster with two executor processes of N/2 cores each. Rounds interleave the
# four so that a noisy machine slows them alike. Prints per run the wall time of the whole command (JVM and Spark
# start-up included) and, for Spark, the job's own time from its report; then medians and ratios to t4j translate.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
model=${1:?usage: throughput.sh MODEL INPUT [RUNS] [OPTIONS...]}
input=${2:?usage: throughput.sh MODEL INPUT [RUNS] [OPTIONS...]}
runs=${3:-2}
shift $(( $# < 3 ? $# : 3 ))
model=$(realpath "$model")
input=$(realpath "$input")
cd "$root"
n=$(nproc)
half=$(( n / 2 > 0 ? n / 2 : 1 ))
lines=$(wc -l < "$input")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

declare -A wall job
run() { # name, command...: records wall seconds (and the job's seconds for t4j spark)
  local name=$1; shift
  local start end
  start=$(date +%s.%N)
  if ! "$@" >"$work/out" 2>"$work/err"; then
    echo "$name failed:" >&2; cat "$work/err" >&2; exit 1
  fi
  end=$(date +%s.%N)
  wall[$name]+="$(echo "$end - $start" | bc) "
  local s
  s=$(sed -n 's/.* in [0-9]* partitions\?, \([0-9.]*\) s .*/\1/p' "$work/err" | head -1)
  [[ -n $s ]] && job[$name]+="$s "
  echo "  $name: wall $(echo "$end - $start" | bc) s${s:+, job $s s}" >&2
  grep '^t4j spark:' "$work/err" | sed 's/^/    /' >&2 || true
}

./t4j --help >/dev/null && ./t4j spark --help >/dev/null # builds both jars outside the timings
for r in $(seq "$runs"); do
  echo "round $r of $runs ($lines lines)" >&2
  run translate ./t4j translate --model "$model" --input "$input" --output "$work/t4j.out" "$@"
  run "local[$n]" ./t4j spark translate --model "$model" --input "$input" --output "$work/local" --overwrite \
      --partitions 8 "$@"
  run "1 executor x $n cores" ./t4j spark translate --master "local-cluster[1,$n,2048]" -c spark.task.cpus="$n" \
      -c spark.executor.memory=1g --model "$model" --input "$input" --output "$work/one" --overwrite --partitions 8 "$@"
  run "2 executors x $half cores" ./t4j spark translate --master "local-cluster[2,$half,2048]" \
      -c spark.task.cpus="$half" -c spark.executor.memory=1g -c spark.scheduler.minRegisteredResourcesRatio=1.0 \
      --model "$model" --input "$input" --output "$work/two" --overwrite --partitions 8 "$@"
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
base=$(echo "${wall[translate]}" | median)
printf '%-26s %12s %12s %14s %10s\n' setup "wall s" "lines/s" "job lines/s" "vs t4j"
for name in translate "local[$n]" "1 executor x $n cores" "2 executors x $half cores"; do
  w=$(echo "${wall[$name]}" | median)
  j=${job[$name]:-}
  jr="-"
  [[ -n $j ]] && jr=$(echo "scale=2; $lines / $(echo "$j" | median)" | bc)
  printf '%-26s %12.1f %12.2f %14s %10.2f\n' "$name" "$w" "$(echo "scale=4; $lines / $w" | bc)" "$jr" \
    "$(echo "scale=4; $base / $w" | bc)"
done
