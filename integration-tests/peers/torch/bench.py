#!/usr/bin/python3
"""Times transformer4j's cpu backend and the PyTorch peer side by side, on the same data, in one run.

    /usr/bin/python3 integration-tests/peers/torch/bench.py                      # tiny and small, 1 and 2 threads
    /usr/bin/python3 integration-tests/peers/torch/bench.py --presets tiny,small,base --decode-model models/quickstart
    /usr/bin/python3 integration-tests/peers/torch/bench.py --forks 8      # t4j in 8 fresh processes per row
    python3 integration-tests/peers/torch/bench.py --device cuda --presets base --batch-tokens 4096,16384 --tf32 off,on

Training: for each preset and thread count, `./t4j bench train --preset P --threads N --save-batches FILE` times
full steps (forward, label-smoothed loss, backward, Adam) of the model it builds (the preset, vocabulary 8000
shared by source, target and output, batches of 4096 target tokens of 128 sentences of one length), and writes
its batches; then the peer builds the same model from the file's config and times the same steps on the same
batches: dropout as configured, cross-entropy with label smoothing 0.1 averaged over the target tokens, Adam
(0.9, 0.98, 1e-9) at a fixed rate, as the benchmark does. Both skip the same warm-up batches.

Decoding: for each thread count, `./t4j bench decode --model M --threads N --cache-only --save-ids FILE` translates
the first --sentences lines of the bundled dev set (batches of 32, greedy and beam 4, key/value cache) and writes
the source ids, its output ids and its times; the peer decodes the same ids with its own cached decoder and the
same search rules, and the outputs are compared.

Prints target (training) or output (decoding) tokens/s of both and the ratio t4j/torch (above 1: t4j is faster).
With --forks N, every t4j row runs in N fresh processes (`t4j ... --forks N`: the JIT makes processes differ) and
every peer row N times; the worst ratio divides t4j's slowest process by the peer's median run.
Threads: torch.set_num_threads(N) and OpenBLAS's own thread count; `--threads N` for t4j. The machine should be
otherwise idle; figures vary by 10-20% between runs on shared machines, so compare ratios from one run.

On a GPU (--device cuda) t4j runs with `--backend cuda` and the peer on torch's "cuda" device, synchronised before
each clock reading; --batch-tokens sets the training batch sizes and --tf32 off,on adds rows where both let cuBLAS
use TF32 tensor cores (t4j's `-B tf32=true`, torch.backends.cuda.matmul.allow_tf32). Threads are host threads there.
"""

import argparse
import ctypes
import json
import os
import re
import subprocess
import sys
import tempfile
import time

# OpenBLAS reads these when it loads (with torch): they pin a core type or cache size for other uses of the machine.
for variable in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    os.environ.pop(variable, None)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import search  # noqa: E402
from safetensors_io import read_safetensors  # noqa: E402
from t4j_torch import Config, Transformer, load_model  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))


def set_threads(n):
    """torch's intra-op threads and OpenBLAS's (Debian's torch calls the system BLAS, which keeps its own count)."""
    torch.set_num_threads(n)
    try:
        ctypes.CDLL("libblas.so.3").openblas_set_num_threads(n)
    except (OSError, AttributeError):
        pass  # not OpenBLAS: torch's setting is all there is


def t4j(args, command):
    """Runs ./t4j and returns its standard output; stops the driver with t4j's message if it fails."""
    full = [args.t4j] + command
    print("  $ " + " ".join(full), flush=True)
    done = subprocess.run(full, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(full)} failed:\n{done.stderr.strip()}")
    return done.stdout


# ---------------------------------------------------------------------------------------------- training

def load_batches(path):
    """The batches of `t4j bench train --save-batches`, as int64 tensors, and the model's Config."""
    tensors, meta = read_safetensors(path)
    raw = json.loads(meta["config"])
    config = Config(**{name: raw[name] for name in Config.__dataclass_fields__})
    batches = []
    for i in range(int(meta["batches"])):
        p = f"batch.{i}."
        batches.append({name: tensors[p + name].long()
                        for name in ("source", "source_lengths", "target_input", "labels")})
    return config, batches, int(meta["warmup"])


def synchronize(device):
    """Waits for the device's queued work, so that a clock reading covers it (a no-op on the cpu)."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def torch_train(config, batches, warmup, device):
    """Target tokens/s of full training steps over the batches after the first `warmup`."""
    torch.manual_seed(1)
    model = Transformer(config).to(device).train()
    adam = torch.optim.Adam(model.parameters(), lr=1e-4, betas=(0.9, 0.98), eps=1e-9)
    batches = [{name: t.to(device) for name, t in b.items()} for b in batches]
    tokens, start = 0, None
    for i, b in enumerate(batches):
        if i == warmup:
            synchronize(device)
            start = time.perf_counter()
        logits = model(b["source"], b["source_lengths"], b["target_input"])           # (B, T, V)
        labels = b["labels"]
        count = int((labels != config.pad_id).sum())
        loss = F.cross_entropy(logits.view(-1, logits.shape[-1]), labels.view(-1), ignore_index=config.pad_id,
                               label_smoothing=0.1, reduction="sum") / count
        loss.backward()
        adam.step()
        adam.zero_grad(set_to_none=True)
        if i >= warmup:
            tokens += count
    synchronize(device)
    return tokens / (time.perf_counter() - start)


def spread(out, row):
    """(min, median, max) of a row of t4j's --forks table, or the single figure three times without forks."""
    m = re.search(re.escape(row) + r"\s+([\d,.]+)\s+([\d,.]+)\s+([\d,.]+)\s", out)
    return tuple(float(v.replace(",", "")) for v in m.groups())


def forks(args):
    return ["--forks", str(args.forks)] if args.forks > 1 else []


def backend(args, tf32):
    """t4j's backend options for a row: nothing on the cpu; the cuda backend, with TF32 or without, on a GPU."""
    if args.device.type != "cuda":
        return []
    return ["--backend", "cuda"] + (["-B", "tf32=true"] if tf32 else [])


def settings(args):
    """The rows' settings besides the preset: (threads, batch tokens, tf32) for every combination asked for."""
    return [(threads, tokens, tf32) for threads in args.threads for tokens in args.batch_tokens for tf32 in args.tf32]


def set_tf32(args, tf32):
    if args.device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = tf32
        torch.backends.cudnn.allow_tf32 = tf32


def label(args, threads, tokens, tf32):
    """A row's setting as the report prints it."""
    if args.device.type != "cuda":
        return str(threads) if len(args.batch_tokens) == 1 else f"{threads} @ {tokens}"
    return f"{tokens}{' tf32' if tf32 else ''}"


def median_spread(values):
    """(min, median, max), the median the lower middle value as t4j's tables have it."""
    values = sorted(values)
    return values[0], values[(len(values) - 1) // 2], values[-1]


def train_rows(args, work):
    rows = []
    for preset in args.presets:
        for threads, batch_tokens, tf32 in settings(args):
            print(f"training {preset}, {threads} thread(s), {batch_tokens} tokens per batch"
                  + (f", tf32 {'on' if tf32 else 'off'}" if args.device.type == "cuda" else ""), flush=True)
            batch_file = os.path.join(work, f"{preset}.safetensors")
            out = t4j(args, backend(args, tf32) + ["bench", "train", "--preset", preset, "--steps", str(args.steps),
                                                   "--warmup", str(args.warmup), "--threads", str(threads),
                                                   "--batch-tokens", str(batch_tokens), "--save-batches", batch_file]
                      + forks(args))
            if args.forks > 1:
                ours = spread(out, "target tokens/s")
            else:
                one = float(re.search(r"([\d,.]+) target tokens/s", out).group(1).replace(",", ""))
                ours = (one, one, one)
            config, batches, warmup = load_batches(batch_file)
            set_threads(threads)
            set_tf32(args, tf32)
            theirs = median_spread([torch_train(config, batches, warmup, args.device) for _ in range(args.forks)])
            rows.append((preset, label(args, threads, batch_tokens, tf32), ours, theirs))
            print(f"  t4j {ours[0]:,.0f}-{ours[2]:,.0f}, torch {theirs[0]:,.0f}-{theirs[2]:,.0f} target tokens/s",
                  flush=True)
    return rows


# ---------------------------------------------------------------------------------------------- decoding

def torch_decode(model, sources, run, batch_size, device):
    """(output tokens/s, outputs) of the peer decoding `sources` as the t4j run did."""
    synchronize(device)
    start = time.perf_counter()
    results = search.translate(model, sources, beam=run["beam"], nbest=1, length_penalty=run["length_penalty"],
                               max_len_a=run["max_len_a"], max_len_b=run["max_len_b"], batch_size=batch_size)
    synchronize(device)
    seconds = time.perf_counter() - start
    outputs = [r[0][0] if r else [] for r in results]
    tokens = sum(len(o) + 1 for o, r in zip(outputs, results) if r)
    return tokens / seconds, outputs


def decode_rows(args, work):
    rows = []
    model = load_model(args.decode_model, args.device)
    for threads in args.threads:
        print(f"decoding, {threads} thread(s)", flush=True)
        ids_file = os.path.join(work, f"decode-{threads}.json")
        out = t4j(args, backend(args, False) + ["bench", "decode", "--model", args.decode_model, "--sentences",
                                                str(args.sentences), "--beam", str(args.beam), "--threads", str(threads),
                                                "--cache-only", "--save-ids", ids_file] + forks(args))
        with open(ids_file, encoding="utf-8") as f:
            saved = json.load(f)
        set_threads(threads)
        set_tf32(args, False)
        sources = saved["sources"]
        warm = saved["runs"][0]
        torch_decode(model, sources[:8], warm, saved["batch_size"], args.device)  # warm-up, as bench decode does
        for run in saved["runs"]:
            if not run["cache"]:
                continue  # the peer always decodes incrementally
            if args.forks > 1:
                ours = spread(out, f"{run['name']}: out tokens/s")
            else:
                one = run["output_tokens"] / run["seconds"]
                ours = (one, one, one)
            timed = [torch_decode(model, sources, run, saved["batch_size"], args.device) for _ in range(args.forks)]
            theirs = median_spread([t[0] for t in timed])
            outputs = timed[0][1]
            same = sum(o == t for o, t in zip(outputs, run["outputs"]))
            name = "greedy" if run["beam"] == 1 else f"beam {run['beam']}"
            rows.append((name, threads, ours, theirs, same, len(sources)))
            print(f"  {name}: t4j {ours[0]:,.1f}-{ours[2]:,.1f}, torch {theirs[0]:,.1f}-{theirs[2]:,.1f} output "
                  f"tokens/s, {same}/{len(sources)} outputs identical", flush=True)
    return rows


# ---------------------------------------------------------------------------------------------- report

def report(train, decode, args):
    print()
    where = (f"cuda backend vs PyTorch {torch.__version__} (peer) on {torch.cuda.get_device_name(args.device)}"
             if args.device.type == "cuda" else f"cpu backend vs PyTorch {torch.__version__} (peer)")
    print(f"transformer4j {where}, same data, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cpus")
    runs = (f"min and median over {args.forks} fresh t4j processes and {args.forks} peer runs; worst ratio: slowest "
            f"t4j process / median peer run") if args.forks > 1 else "one t4j process, one peer run"
    print(runs)
    if train:
        print()
        print(f"training step (forward, label-smoothed loss, backward, Adam), target tokens/s, mean of {args.steps} "
              f"steps after {args.warmup} warm-up")
        setting = "tokens" if args.device.type == "cuda" else "threads"
        print(f"{'preset':<8} {setting:>11} {'t4j min':>10} {'t4j med':>10} {'torch med':>10} {'worst ratio':>12} "
              f"{'median ratio':>13}")
        for preset, threads, ours, theirs in train:
            print(f"{preset:<8} {threads:>11} {ours[0]:>10,.0f} {ours[1]:>10,.0f} {theirs[1]:>10,.0f} "
                  f"{ours[0] / theirs[1]:>12.2f} {ours[1] / theirs[1]:>13.2f}")
    if decode:
        print()
        print(f"decoding {args.sentences} dev sentences with {args.decode_model}, key/value cache, batches of 32, "
              f"output tokens/s")
        print(f"{'search':<8} {'threads':>7} {'t4j min':>10} {'t4j med':>10} {'torch med':>10} {'worst ratio':>12} "
              f"{'median ratio':>13} {'same outputs':>13}")
        for name, threads, ours, theirs, same, n in decode:
            print(f"{name:<8} {threads:>7} {ours[0]:>10,.1f} {ours[1]:>10,.1f} {theirs[1]:>10,.1f} "
                  f"{ours[0] / theirs[1]:>12.2f} {ours[1] / theirs[1]:>13.2f} {f'{same}/{n}':>13}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--presets", default="tiny,small", help="comma-separated (default: tiny,small)")
    parser.add_argument("--threads", default="1,2", help="comma-separated thread counts (default: 1,2)")
    parser.add_argument("--steps", type=int, default=4, help="timed training steps (default: 4)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed training steps first (default: 1)")
    parser.add_argument("--decode-model", default="models/quickstart",
                        help="a model trained on the bundled corpus (default: models/quickstart); skipped if absent")
    parser.add_argument("--sentences", type=int, default=100, help="dev sentences to decode (default: 100)")
    parser.add_argument("--beam", type=int, default=4, help="beam size (default: 4)")
    parser.add_argument("--forks", type=int, default=1,
                        help="fresh t4j processes per row (t4j --forks N) and peer runs per row (default: 1)")
    parser.add_argument("--batch-tokens", default="4096",
                        help="comma-separated target tokens per training batch (default: 4096)")
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"),
                        help="cpu: t4j's cpu backend and torch on the cpu (default); cuda: t4j's cuda backend and torch "
                             "on the GPU")
    parser.add_argument("--tf32", default="off", help="cuda: comma-separated off,on: rows without and with TF32 tensor "
                                                       "cores in both (default: off)")
    parser.add_argument("--no-train", action="store_true", help="skip the training rows")
    parser.add_argument("--t4j", default=os.path.join(ROOT, "t4j"), help="the t4j launcher (default: ./t4j)")
    args = parser.parse_args()
    args.presets = [p for p in args.presets.split(",") if p]
    args.threads = [int(t) for t in args.threads.split(",") if t]
    args.batch_tokens = [int(t) for t in args.batch_tokens.split(",") if t]
    args.tf32 = [{"off": False, "on": True}[t] for t in args.tf32.split(",") if t]
    if args.device != "cuda" and any(args.tf32):
        sys.exit("bench: --tf32 on needs --device cuda")
    if args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("bench: --device cuda, but torch finds no GPU here")
    args.device = torch.device(args.device)
    if not os.path.isabs(args.decode_model):
        args.decode_model = os.path.join(ROOT, args.decode_model)

    with tempfile.TemporaryDirectory(prefix="t4j-peer-bench-") as work:
        train = [] if args.no_train else train_rows(args, work)
        decode = []
        if os.path.exists(os.path.join(args.decode_model, "config.json")):
            decode = decode_rows(args, work)
        else:
            print(f"no model in {args.decode_model}: decoding skipped (run ./t4j quickstart, or pass --decode-model)")
        report(train, decode, args)


if __name__ == "__main__":
    main()
