#!/usr/bin/python3
"""`t4j score` of the same pairs on the cpu backend and on another (cuda), token by token.

The pairs are real: the first --pairs dev sentences (the ids of `t4j bench decode --save-ids` on cpu) with the
model's own greedy translations as targets. Prints the largest difference of a token's log-probability and exits
with 1 when it exceeds --tolerance (1e-4: float32 through the model, TF32 off).

    python3 integration-tests/gpu/compare_scores.py --t4j .gpu/t4j --model .gpu/model --backend cuda
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile


def t4j(args, command):
    done = subprocess.run([args.t4j] + command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"compare_scores: t4j {' '.join(command)} failed: {done.stderr.strip()}")
    return done.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--t4j", required=True, help="the t4j launcher")
    parser.add_argument("--model", required=True)
    parser.add_argument("--backend", default="cuda")
    parser.add_argument("--pairs", type=int, default=6)
    parser.add_argument("--tolerance", type=float, default=1e-4)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="t4j-scores-") as work:
        ids_file = os.path.join(work, "ids.json")
        t4j(args, ["--backend", "cpu", "bench", "decode", "--model", args.model, "--sentences", str(args.pairs),
                   "--cache-only", "--save-ids", ids_file])
        with open(ids_file, encoding="utf-8") as f:
            saved = json.load(f)
    greedy = next(run for run in saved["runs"] if run["beam"] == 1)
    worst, tokens = 0.0, 0
    for source, target in zip(saved["sources"], greedy["outputs"]):
        command = ["score", "--model", args.model, "--src-ids", ",".join(map(str, source)), "--tgt-ids",
                   ",".join(map(str, target))]
        cpu = json.loads(t4j(args, ["--backend", "cpu"] + command))["logprobs"]
        other = json.loads(t4j(args, ["--backend", args.backend] + command))["logprobs"]
        if len(cpu) != len(other):
            sys.exit(f"compare_scores: {len(cpu)} log-probabilities on cpu, {len(other)} on {args.backend}")
        worst = max([worst] + [abs(a - b) for a, b in zip(cpu, other)])
        tokens += len(cpu)
    verdict = "within" if worst <= args.tolerance else "NOT within"
    print(f"score: {len(saved['sources'])} pairs, {tokens} tokens: cpu and {args.backend} log-probabilities differ by "
          f"{worst:.2e} at most, {verdict} {args.tolerance:g}")
    sys.exit(0 if worst <= args.tolerance else 1)


if __name__ == "__main__":
    main()
