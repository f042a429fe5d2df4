#!/usr/bin/env bash
# run.sh: every check of the cuda backend that needs a GPU, in one call of the device tool (docs/backends.md,
# "Checking on a GPU"). Pack first, here: integration-tests/gpu/pack.sh; then
#
#   device run: command "bash integration-tests/gpu/run.sh", carry [".gpu"], timeout_s 560
#
# Stages, most important first, each under its own time limit so that one that hangs leaves time for the rest:
#   1. the machine: GPU, driver, cuBLAS, `t4j backends`
#   2. the tests: the conformance suite, the model across backends (t4j score against the float64 reference, gradients,
#      incremental decoding) and the cuda tests (copy task, device memory), on cpu and cuda, through JUnit's console
#   3. the trained model on cpu and cuda: translations of the dev set (greedy and beam 4) and `t4j score` of pairs
#   4. speed: a training step of `base` at 4096 and 16384 target tokens, TF32 off and on, and greedy and beam-4
#      decoding, against the PyTorch peer on the same GPU (integration-tests/peers/torch/bench.py --device cuda),
#      then `t4j bench train --profile` (every op timed)
# Results go to $OUT (at most 8 files come back): summary.txt, log.txt, tests.txt (the test tree, failures with their
# messages), bench.txt, profile.txt, and crash-PID.log if a JVM crashed. Without $OUT (a dry run here) they go to .gpu/out.
#
# A dry run on a machine without a GPU checks the plumbing: GPU_CHECK_BACKEND=cpu integration-tests/gpu/run.sh
# (the cpu backend and torch on the cpu stand in; tiny presets; T4J_JAVA=$JAVA_HOME/bin/java if .gpu/jre.txz should
# not be unpacked).
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
out=${OUT:-$root/.gpu/out}
mkdir -p "$out"
backend=${GPU_CHECK_BACKEND:-cuda}
exec > >(tee -a "$out/log.txt") 2>&1
summary="$out/summary.txt"
: > "$summary"
note() { echo "$*" | tee -a "$summary"; }
stage() { echo; echo "=== $* ($(date -u +%H:%M:%S), ${SECONDS}s)"; }
started=$(date -u +%FT%TZ)
# The Python that has PyTorch (on the GPU machine, python3; on ours, Debian's /usr/bin/python3).
python=python3
for p in python3 /usr/bin/python3; do
  if "$p" -c 'import torch' 2>/dev/null; then python=$p; break; fi
done
# The whole run stays inside the device call's limit: each stage gets its own limit or what is left, if less.
budget=${GPU_CHECK_SECONDS:-540}
left() { local l=$((budget - SECONDS - 5)); (( l < 1 )) && l=1; (( l < $1 )) && echo "$l" || echo "$1"; }
# A JVM that crashes leaves its report with the results, not in the working tree.
export T4J_JAVA_OPTS="-XX:ErrorFile=$out/crash-%p.log ${T4J_JAVA_OPTS-}"

stage "1. the machine"
if [[ -z ${T4J_JAVA-} ]]; then
  # Python's tarfile rather than tar: the machine may lack the xz program
  mkdir -p "$HOME/rt" && python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' \
    .gpu/jre.txz "$HOME/rt" || { note "no runtime: run pack.sh first"; exit 2; }
  export T4J_JAVA=$HOME/rt/jre/bin/java
fi
java=$T4J_JAVA
t4j=$root/.gpu/t4j
note "gpu check of transformer4j $(git rev-parse --short HEAD 2>/dev/null || echo '(no git)'), backend $backend, started $started"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | sed 's/^/gpu: /' | tee -a "$summary"
# cuBLAS: the backend looks up libcublas.so.13, .12, .11 by name; put the toolkit's folder on the loader's path when
# ldconfig does not know it.
if ! ldconfig -p 2>/dev/null | grep -q 'libcublas\.so\.1[1-3] '; then
  lib=$(find /usr/local /usr/lib /usr/lib64 /opt -name 'libcublas.so.1[1-3]' 2>/dev/null | sort -r | head -1)
  [[ -n $lib ]] && export LD_LIBRARY_PATH="$(dirname "$lib")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
note "cublas: $(ldconfig -p 2>/dev/null | grep -o 'libcublas\.so\.1[1-3] .*' | head -1)${LD_LIBRARY_PATH:+ (LD_LIBRARY_PATH=$LD_LIBRARY_PATH)}"
"$java" -version 2>&1 | head -1 | sed 's/^/java: /' | tee -a "$summary"
timeout "$(left 60)" "$t4j" backends 2>&1 | tee -a "$summary"

stage "2. the tests (conformance, model across backends, cuda)"
timeout "$(left 300)" "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  --sun-misc-unsafe-memory-access=allow -XX:+UseSerialGC -Xmx8g $T4J_JAVA_OPTS -cp ".gpu/lib/*" \
  org.junit.platform.console.ConsoleLauncher execute --disable-banner --disable-ansi-colors --details=tree \
  --select-package org.transformer4j.it.conformance --select-package org.transformer4j.it.model \
  --select-package org.transformer4j.it.cuda > "$out/tests.txt" 2>&1
tests_rc=$?
tail -n 20 "$out/tests.txt"
note "tests: exit $tests_rc; $(grep -E 'tests (successful|failed|skipped|aborted)' "$out/tests.txt" | tr -s ' []' ' ' | paste -sd ';')"
grep -E '✘|\[X\]' "$out/tests.txt" | head -20 | sed 's/^/failed: /' | tee -a "$summary"
grep -E 'cuda: ' "$out/tests.txt" | head -10 | tee -a "$summary"

stage "3. the trained model on cpu and $backend"
work=$(mktemp -d)
zcat training/src/main/resources/org/transformer4j/training/corpus/bible-es-en/dev.es.gz | head -200 > "$work/dev.es"
zcat training/src/main/resources/org/transformer4j/training/corpus/bible-es-en/dev.en.gz | head -200 > "$work/dev.en"
for b in cpu "$backend"; do
  for beam in 1 4; do
    start=$SECONDS
    timeout "$(left 60)" "$t4j" translate --backend "$b" --model .gpu/model --beam "$beam" --input "$work/dev.es" --ref "$work/dev.en" \
      --output "$work/$b.beam$beam.txt" > "$work/$b.beam$beam.log" 2>&1
    note "translate --backend $b --beam $beam: exit $?, $((SECONDS - start)) s, $(grep -o 'BLEU = [0-9.]*' "$work/$b.beam$beam.log" | head -1)"
    grep -v BLEU "$work/$b.beam$beam.log" | head -3
  done
done
if [[ $backend != cpu ]]; then
  for beam in 1 4; do
    same=$(paste -d '\t' "$work/cpu.beam$beam.txt" "$work/$backend.beam$beam.txt" | awk -F '\t' '$1 == $2' | wc -l)
    note "beam $beam: $same of $(wc -l < "$work/cpu.beam$beam.txt") translations identical on cpu and $backend"
  done
fi
timeout "$(left 90)" "$python" integration-tests/gpu/compare_scores.py --t4j "$t4j" --model .gpu/model --backend "$backend" \
  --pairs 6 2>&1 | tee -a "$summary"

stage "4. speed against the PyTorch peer"
if [[ $backend == cpu ]]; then
  bench=(--device cpu --presets tiny --threads 1 --steps 2 --warmup 1 --sentences 16)
else
  bench=(--device cuda --presets base --batch-tokens 4096,16384 --tf32 off,on --threads 1 --steps 10 --warmup 3
         --sentences 200)
fi
PYTHONUNBUFFERED=1 timeout "$(left 240)" "$python" integration-tests/peers/torch/bench.py "${bench[@]}" --decode-model .gpu/model \
  --t4j "$t4j" > "$out/bench.txt" 2>&1
note "bench: exit $?"
sed -n '/^transformer4j/,$p' "$out/bench.txt" | tee -a "$summary"
preset=base; [[ $backend == cpu ]] && preset=tiny
timeout "$(left 60)" "$t4j" --backend "$backend" bench train --preset "$preset" --steps 3 --warmup 2 --profile > "$out/profile.txt" 2>&1
note "profile: exit $?"
grep -E 'target tokens/s|peak memory' "$out/profile.txt" | tee -a "$summary"

rm -rf "$work"
note "done in ${SECONDS} s"
