#!/usr/bin/python3
"""The PyTorch peer's command line: the same answers as `t4j score` and `t4j translate --ids`, from PyTorch.

    /usr/bin/python3 integration-tests/peers/torch/peer.py score --model DIR --src-ids 5,6,7 --tgt-ids 9,10,11
    /usr/bin/python3 integration-tests/peers/torch/peer.py score --model DIR --pairs pairs.json [--top2]
    /usr/bin/python3 integration-tests/peers/torch/peer.py translate --model DIR --input ids.txt --beam 1

`score` prints one JSON object per pair, as `t4j score` does: the predicted tokens (target + <eos>), the
log-probability of each, their sum and the score under --length-penalty. With --pairs (a JSON list of
{"src": [ids], "tgt": [ids]}) all pairs are scored in one padded batch; --top2 adds, per predicted position,
the two largest log-probabilities (to tell a near-tie from a disagreement).

`translate` reads one sentence of space-separated source ids per line and writes the output ids per line
(without <eos>), as `t4j translate --ids` does; with --nbest N > 1, the TSV index, rank, score, ids.

Exit codes: 0 done, 1 bad input (a one-line message on stderr), 3 PyTorch is missing.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    import torch
except ImportError as e:  # the Java test skips on this exit code
    print(f"peer: PyTorch is not available to {sys.executable}: {e}", file=sys.stderr)
    sys.exit(3)

import search
from t4j_torch import load_model


@torch.inference_mode()
def score_pairs(model, pairs, length_penalty, top2):
    """Teacher forcing on one padded batch: the decoder reads <bos> + tgt and predicts tgt + <eos>."""
    c = model.config
    src, src_lengths = search.pad([p["src"] for p in pairs], c.pad_id)
    tgt_in, _ = search.pad([[c.bos_id] + p["tgt"] for p in pairs], c.pad_id)
    log_probs = torch.log_softmax(model(src, src_lengths, tgt_in), dim=-1)     # (B, T, V)
    penalty = search.LengthPenalty(length_penalty)
    results = []
    for b, p in enumerate(pairs):
        predicted = p["tgt"] + [c.eos_id]
        rows = log_probs[b, :len(predicted)]                                   # (len, V)
        token_lp = rows.gather(1, torch.tensor(predicted)[:, None])[:, 0].tolist()
        total = sum(token_lp)                                                  # float64, as Java sums
        result = {"tokens": predicted, "logprobs": token_lp, "sum": total,
                  "score": penalty.score(total, len(predicted))}
        if top2:
            result["top2"] = rows.topk(2, dim=-1).values.tolist()
        results.append(result)
    return results


def parse_ids(text, where):
    try:
        return [int(t) for t in text.replace(",", " ").split()]
    except ValueError:
        raise SystemExit(f"peer: {where}: expected token ids separated by spaces, got '{text.strip()}'")


def check_ids(ids, vocab, side, where):
    for i in ids:
        if not 0 <= i < vocab:
            raise SystemExit(f"peer: {where}: {side} token id {i} is outside the vocabulary of {vocab}")


def score_command(args):
    model = load_model(args.model)
    if args.pairs:
        with open(args.pairs, encoding="utf-8") as f:
            pairs = json.load(f)
    elif args.src_ids and args.tgt_ids:
        pairs = [{"src": parse_ids(args.src_ids, "--src-ids"), "tgt": parse_ids(args.tgt_ids, "--tgt-ids")}]
    else:
        raise SystemExit("peer: score needs --pairs FILE, or --src-ids and --tgt-ids")
    for i, p in enumerate(pairs):
        if not p["src"]:
            raise SystemExit(f"peer: pair {i}: the source is empty")
        check_ids(p["src"], model.config.src_vocab_size, "source", f"pair {i}")
        check_ids(p["tgt"], model.config.tgt_vocab_size, "target", f"pair {i}")
    for result in score_pairs(model, pairs, args.length_penalty, args.top2):
        print(json.dumps(result))


def translate_command(args):
    model = load_model(args.model)
    with open(args.input, encoding="utf-8") as f:
        lines = f.read().splitlines()
    sources = [parse_ids(line, f"{args.input} line {n}") for n, line in enumerate(lines, 1)]
    for n, s in enumerate(sources, 1):
        check_ids(s, model.config.src_vocab_size, "source", f"{args.input} line {n}")
    results = search.translate(model, sources, beam=args.beam, nbest=args.nbest, length_penalty=args.length_penalty,
                               max_len_a=args.max_len_a, max_len_b=args.max_len_b, batch_size=args.batch_size)
    out = []
    for index, hypotheses in enumerate(results):
        if args.nbest == 1:
            out.append(" ".join(map(str, hypotheses[0][0])) if hypotheses else "")
        elif not hypotheses:
            out.append(f"{index}\t1\t\t")
        else:
            out += [f"{index}\t{rank}\t{score:.4f}\t{' '.join(map(str, tokens))}"
                    for rank, (tokens, _, score) in enumerate(hypotheses, 1)]
    sys.stdout.write("".join(line + "\n" for line in out))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    commands = parser.add_subparsers(dest="command", required=True)

    score = commands.add_parser("score", help="log-probabilities of targets given sources, as t4j score")
    score.add_argument("--model", required=True)
    score.add_argument("--src-ids")
    score.add_argument("--tgt-ids")
    score.add_argument("--pairs", help="JSON list of {\"src\": [ids], \"tgt\": [ids]}, scored in one padded batch")
    score.add_argument("--length-penalty", type=float, default=0.0)
    score.add_argument("--top2", action="store_true", help="add the two largest log-probabilities per position")

    translate = commands.add_parser("translate", help="decode source ids, as t4j translate --ids")
    translate.add_argument("--model", required=True)
    translate.add_argument("--input", required=True, help="one sentence of space-separated source ids per line")
    translate.add_argument("--beam", type=int, default=4)
    translate.add_argument("--nbest", type=int, default=1)
    translate.add_argument("--length-penalty", type=float, default=0.6)
    translate.add_argument("--max-len-a", type=float, default=1.2)
    translate.add_argument("--max-len-b", type=int, default=10)
    translate.add_argument("--batch-size", type=int, default=32)

    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    try:
        {"score": score_command, "translate": translate_command}[args.command](args)
    except (OSError, ValueError, KeyError) as e:
        raise SystemExit(f"peer: {e}")


if __name__ == "__main__":
    main()
