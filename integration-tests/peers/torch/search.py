"""Greedy decoding and beam search over the peer's key/value-cached decoder, by transformer4j's rules.

Read from decoding/src/main/java/org/transformer4j/decoding/search (GreedySearch, BeamSearch, LengthPenalty,
DecodingOptions, SequenceDecoder) and decoding/Translator.java:

- at most floor(a * source tokens) + b output tokens before <eos> (--max-len-a 1.2, --max-len-b 10); at the
  limit only <eos> may follow;
- greedy: the most probable token (argmax of the log-probabilities, the first on ties); a sentence that emits
  <eos> leaves the batch;
- beam search (K hypotheses): each step keeps the 2K best extensions of the live hypotheses (ties: earlier row,
  then smaller token); an <eos> extension among the K best finishes a hypothesis, scored
  log P / ((5 + n) / 6)^alpha with n counting <eos>; the K best others form the next beam. A sentence stops
  when it has nbest finished hypotheses and no live one can still beat the nbest-th (LengthPenalty.bestReachable);
  log-probabilities are summed in float64, as Java does;
- translate sorts the sentences longest first (ties by input order), decodes them in batches, and returns the
  results in input order.
"""

import math

import torch


class LengthPenalty:
    """GNMT: score = log P / lp(n), lp(n) = ((5 + n) / 6)^alpha; alpha 0 ranks by log P."""

    def __init__(self, alpha):
        self.alpha = alpha

    def divisor(self, length):
        return 1.0 if self.alpha == 0 else math.pow((5.0 + length) / 6.0, self.alpha)

    def score(self, log_p, length):
        return log_p / self.divisor(length)

    def best_reachable(self, log_p, min_length, max_length):
        return max(self.score(log_p, min_length), self.score(log_p, max(min_length, max_length)))


def max_length(source_tokens, a, b):
    """DecodingOptions.maxLength: the most output tokens before <eos>."""
    return math.floor(a * source_tokens) + b


def device_of(model):
    """Where the model's parameters live: every tensor the search makes goes there too."""
    return next(model.parameters()).device


def pad(sequences, pad_id, device=None):
    """A list of id lists -> (B, L) int64 ids and (B,) lengths, on `device`."""
    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.long)
    ids = torch.full((len(sequences), int(lengths.max())), pad_id, dtype=torch.long)
    for b, s in enumerate(sequences):
        ids[b, :len(s)] = torch.tensor(s, dtype=torch.long)
    return ids.to(device), lengths.to(device)


@torch.inference_mode()
def greedy(model, sources, a, b, penalty):
    """Per source: [(tokens, log P, score)], the argmax path."""
    c = model.config
    device = device_of(model)
    src, lengths = pad(sources, c.pad_id, device)
    limits = [max_length(len(s), a, b) for s in sources]
    cache = model.start_decoding(src, lengths, group=1)
    results = [None] * len(sources)
    tokens = [[] for _ in sources]
    log_p = [0.0] * len(sources)
    alive = list(range(len(sources)))             # row -> sentence
    feed = torch.full((len(sources),), c.bos_id, dtype=torch.long, device=device)
    t = 0
    while alive:
        lp = model.step(feed, cache)             # (rows, V)
        choice = lp.argmax(dim=-1).tolist()
        chosen = lp.gather(1, lp.argmax(dim=-1, keepdim=True))[:, 0].tolist()
        eos_lp = lp[:, c.eos_id].tolist()
        keep = []
        for r, s in enumerate(alive):
            token, token_lp = (c.eos_id, eos_lp[r]) if t >= limits[s] else (choice[r], chosen[r])
            log_p[s] += token_lp
            if token == c.eos_id:
                results[s] = [(tokens[s], log_p[s], penalty.score(log_p[s], len(tokens[s]) + 1))]
            else:
                tokens[s].append(token)
                keep.append(r)
        if not keep:
            break
        if len(keep) < len(alive):
            cache.select(keep, keep)
        alive = [alive[r] for r in keep]
        feed = torch.tensor([tokens[s][-1] for s in alive], dtype=torch.long, device=device)
        t += 1
    return results


class Beam:
    """One sentence's K hypotheses; -inf marks an empty slot."""

    def __init__(self, k):
        self.hypotheses = [[] for _ in range(k)]
        self.scores = [0.0] + [-math.inf] * (k - 1)   # at the first step the K rows are alike: extend row 0 only
        self.finished = []                             # (tokens, log P, score), in the order found

    def top(self, nbest):
        return sorted(self.finished, key=lambda h: -h[2])[:nbest]   # stable, as Java's List.sort


@torch.inference_mode()
def beam_search(model, sources, k, nbest, a, b, penalty):
    """Per source: its nbest finished hypotheses [(tokens, log P, score)], best first."""
    c = model.config
    device = device_of(model)
    src, lengths = pad(sources, c.pad_id, device)
    limits = [max_length(len(s), a, b) for s in sources]
    cache = model.start_decoding(src, lengths, group=k)
    results = [None] * len(sources)
    beams = [Beam(k) for _ in sources]
    alive = list(range(len(sources)))              # position in the batch -> sentence
    feed = torch.full((len(sources) * k,), c.bos_id, dtype=torch.long, device=device)
    t = 0
    while alive:
        lp = model.step(feed, cache).double()      # (n*k, V), float64 as Java adds them
        vocab = lp.shape[1]
        base = torch.tensor([score for s in alive for score in beams[s].scores], dtype=torch.float64, device=device)
        totals = base[:, None] + lp                # (n*k, V); rows of empty slots stay -inf
        for i, s in enumerate(alive):
            if t >= limits[s]:                     # at the length limit only <eos> may follow
                eos = totals[i * k:(i + 1) * k, c.eos_id].clone()
                totals[i * k:(i + 1) * k] = -math.inf
                totals[i * k:(i + 1) * k, c.eos_id] = eos
        best, index = totals.view(len(alive), k * vocab).topk(min(2 * k, k * vocab), dim=1)
        best, index = best.tolist(), index.tolist()

        kept_sentences, rows = [], []
        for i, s in enumerate(alive):
            beam = beams[s]
            # best first; ties: earlier row, then smaller token (= smaller flat index)
            candidates = sorted((-score, flat) for score, flat in zip(best[i], index[i]) if score != -math.inf)
            next_hypotheses, next_scores, parents = [], [], []
            for rank, (negative, flat) in enumerate(candidates):
                row, token, score = flat // vocab, flat % vocab, -negative
                if token == c.eos_id:
                    if rank < k:
                        beam.finished.append((beam.hypotheses[row], score, penalty.score(score, t + 1)))
                elif len(next_hypotheses) < k:
                    next_hypotheses.append(beam.hypotheses[row] + [token])
                    next_scores.append(score)
                    parents.append(row)
            filled = len(next_hypotheses)
            for _ in range(filled, k):             # empty slots: never extended, never finished
                next_hypotheses.append(next_hypotheses[0] if filled else [])
                next_scores.append(-math.inf)
                parents.append(parents[0] if filled else 0)
            if filled == 0 or done(beam, next_scores[0], t + 2, limits[s] + 1, nbest, penalty):
                results[s] = beam.top(nbest)
                continue
            beam.hypotheses, beam.scores = next_hypotheses, next_scores
            rows += [i * k + p for p in parents]
            kept_sentences.append(i)
        if not kept_sentences:
            break
        cache.select(kept_sentences, rows)
        alive = [alive[i] for i in kept_sentences]
        feed = torch.tensor([h[-1] if h else c.eos_id for s in alive for h in beams[s].hypotheses], dtype=torch.long,
                            device=device)
        t += 1
    return results


def done(beam, best_live, min_length, max_length_, nbest, penalty):
    """Whether no live hypothesis can beat the nbest-th finished one (BeamSearch.isDone)."""
    if len(beam.finished) < nbest:
        return False
    nth = beam.top(nbest)[nbest - 1][2]
    return penalty.best_reachable(best_live, min_length, max_length_) <= nth


def translate(model, sources, beam=4, nbest=1, length_penalty=0.6, max_len_a=1.2, max_len_b=10, batch_size=32):
    """Translator.translate on ids: longest first, batches of batch_size, results in input order."""
    penalty = LengthPenalty(length_penalty)
    order = sorted((i for i in range(len(sources)) if sources[i]), key=lambda i: (-len(sources[i]), i))
    out = [[] for _ in sources]                    # an empty source gets no hypothesis, as in Translator
    for start in range(0, len(order), batch_size):
        batch = order[start:start + batch_size]
        chunk = [sources[i] for i in batch]
        if beam == 1:
            results = greedy(model, chunk, max_len_a, max_len_b, penalty)
        else:
            results = beam_search(model, chunk, beam, nbest, max_len_a, max_len_b, penalty)
        for i, r in zip(batch, results):
            out[i] = r
    return out
