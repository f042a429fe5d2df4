"""transformer4j's Transformer, rebuilt in PyTorch: a second, independent implementation of our model.

It loads a transformer4j model directory (config.json and model.safetensors) and computes what the Java model
computes, box by box as the paper (and "The Annotated Transformer") draws it:

    src ids -> InputEmbedding -> N x EncoderLayer -> [final norm, pre-norm only] -> memory
    <bos> + target ids -> InputEmbedding -> N x DecoderLayer(memory) -> [final norm] -> generator -> logits

Written from our Java sources (model/src/main/java/org/transformer4j/model), with torch.nn's Linear, LayerNorm
and Embedding; the attention is our own (no nn.MultiheadAttention, no nn.Transformer). Hidden states are
(B, T, d); heads are split into (B, H, T, d_k) only inside the attention. Parameter names are the checkpoint
names, so the model's state_dict *is* the file's layout.

Shapes: B sentences (or decoding rows), S source positions, T target positions, d = d_model, H heads,
d_k = d / H, V vocabulary.
"""

import json
import math
import os
import struct
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from safetensors_io import read_safetensors

CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.safetensors"
FORMAT_VERSION = 1


# ---------------------------------------------------------------------------------------------- configuration

@dataclass(frozen=True)
class Config:
    """config.json of a model directory (format version 1); names as in the file."""
    d_model: int
    heads: int
    d_ff: int
    encoder_layers: int
    decoder_layers: int
    src_vocab_size: int
    tgt_vocab_size: int
    dropout: float
    norm: str             # "post" (the paper: LayerNorm(x + Sublayer(x))) or "pre" (x + Sublayer(LayerNorm(x)))
    positional: str       # "sinusoidal" (interleaved sin/cos) or "sinusoidal-concat" (sin half, then cos half)
    tie_embeddings: str   # "none", "decoder" (target embedding = generator) or "all" (one matrix)
    layer_norm_eps: float
    pad_id: int
    bos_id: int
    eos_id: int
    unk_id: int

    @staticmethod
    def read(model_dir):
        with open(os.path.join(model_dir, CONFIG_FILE), encoding="utf-8") as f:
            raw = json.load(f)
        version = raw.get("format_version")
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise ValueError(f"{model_dir}/{CONFIG_FILE}: format_version {version}, this peer reads {FORMAT_VERSION}")
        values = {name: raw[name] for name in Config.__dataclass_fields__}
        # Java keeps eps as a float32: round it the same way.
        values["layer_norm_eps"] = struct.unpack("<f", struct.pack("<f", raw["layer_norm_eps"]))[0]
        config = Config(**values)
        if config.norm not in ("post", "pre") or config.positional not in ("sinusoidal", "sinusoidal-concat") \
                or config.tie_embeddings not in ("none", "decoder", "all"):
            raise ValueError(f"{model_dir}/{CONFIG_FILE}: unknown norm, positional or tie_embeddings in {config}")
        return config

    @property
    def pre_norm(self):
        return self.norm == "pre"


def parameter_names(c):
    """Every parameter of a configuration, in checkpoint order; tied matrices appear once (ParameterLayout.java)."""
    def linear(p):
        return [p + ".weight", p + ".bias"]

    def attention(p):
        return [n for proj in ("q_proj", "k_proj", "v_proj", "out_proj") for n in linear(f"{p}.{proj}")]

    names = ["src_embed.weight"]
    if c.tie_embeddings != "all":
        names.append("tgt_embed.weight")
    for i in range(c.encoder_layers):
        p = f"encoder.layers.{i}"
        names += attention(p + ".self_attn") + linear(p + ".self_attn_norm")
        names += linear(p + ".ffn.fc1") + linear(p + ".ffn.fc2") + linear(p + ".ffn_norm")
    if c.pre_norm:
        names += linear("encoder.norm")
    for i in range(c.decoder_layers):
        p = f"decoder.layers.{i}"
        names += attention(p + ".self_attn") + linear(p + ".self_attn_norm")
        names += attention(p + ".cross_attn") + linear(p + ".cross_attn_norm")
        names += linear(p + ".ffn.fc1") + linear(p + ".ffn.fc2") + linear(p + ".ffn_norm")
    if c.pre_norm:
        names += linear("decoder.norm")
    if c.tie_embeddings == "none":
        names.append("generator.weight")
    return names


# ---------------------------------------------------------------------------------------------- masks

def padding_mask(lengths, key_length):
    """(B, 1, 1, S) additive mask: 0 on each sentence's real keys, -inf on its padding (AttentionMask.padding)."""
    positions = torch.arange(key_length, device=lengths.device)
    mask = torch.zeros(len(lengths), 1, 1, key_length, device=lengths.device)
    return mask.masked_fill(positions[None, None, None, :] >= lengths[:, None, None, None], float("-inf"))


def causal_mask(length, device=None):
    """(1, 1, T, T) additive mask: query i sees keys 0..i (AttentionMask.causal)."""
    future = torch.ones(length, length, dtype=torch.bool, device=device).triu(1)
    return torch.zeros(1, 1, length, length, device=device).masked_fill(future, float("-inf"))


# ---------------------------------------------------------------------------------------------- the boxes

def sinusoids(length, d, concatenated, device=None):
    """The (length, d) position table of PositionalEncoding.values, computed in float64 and stored as float32.

    interleaved (the paper): PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(...)
    concatenated (tensor2tensor): PE(pos, i) = sin(pos * exp(-i * inc)), PE(pos, d/2 + i) = cos(...),
                                  inc = ln(10^4) / (d/2 - 1)
    """
    half = d // 2
    pos = torch.arange(length, dtype=torch.float64)[:, None]              # (length, 1)
    i = torch.arange(half, dtype=torch.float64)[None, :]                  # (1, d/2)
    if concatenated:
        angle = pos * torch.exp(-i * (math.log(10000.0) / max(half - 1, 1)))
        table = torch.cat([torch.sin(angle), torch.cos(angle)], dim=1)    # (length, d)
    else:
        angle = pos / torch.pow(10000.0, 2.0 * i / d)
        table = torch.stack([torch.sin(angle), torch.cos(angle)], dim=2).reshape(length, d)
    return table.float().to(device)


class PositionalEncoding(nn.Module):
    """The fixed sinusoid table, grown on demand so that any length works (not a parameter)."""

    def __init__(self, d, concatenated):
        super().__init__()
        self.d = d
        self.concatenated = concatenated
        self.register_buffer("table", sinusoids(128, d, concatenated), persistent=False)

    def forward(self, positions):
        """positions: int64 of any shape -> their encodings, shape + (d,)."""
        needed = int(positions.max()) + 1
        if needed > self.table.shape[0]:
            self.table = sinusoids(max(needed, 2 * self.table.shape[0]), self.d, self.concatenated, self.table.device)
        return self.table[positions]


def embed(table, positions, ids, position_ids, d_model, dropout, training):
    """Token embedding * sqrt(d_model) + positions, then dropout (InputEmbedding.java): ids, position_ids (B, T)
    -> (B, T, d). `table` is an nn.Embedding that the Transformer may share between stacks and the generator."""
    scale = torch.tensor(math.sqrt(d_model), dtype=torch.float32)  # float32(sqrt(d)) times float32 rows, as Java
    x = table(ids) * scale + positions(position_ids)
    return F.dropout(x, dropout, training)


class MultiHeadAttention(nn.Module):
    """softmax(Q K^T / sqrt(d_k) + mask) V per head, heads concatenated and projected (paper section 3.2)."""

    def __init__(self, d_model, heads):
        super().__init__()
        self.heads = heads
        self.d_k = d_model // heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.out_proj = nn.Linear(d_model, d_model)
        self.scale = torch.tensor(1.0 / math.sqrt(self.d_k), dtype=torch.float32)

    def split_heads(self, x):
        """(B, T, d) -> (B, H, T, d_k)"""
        b, t, _ = x.shape
        return x.view(b, t, self.heads, self.d_k).transpose(1, 2)

    def merge_heads(self, x):
        """(B, H, T, d_k) -> (B, T, d)"""
        b, _, t, _ = x.shape
        return x.transpose(1, 2).reshape(b, t, self.heads * self.d_k)

    def key_values(self, y):
        """y (B, Tk, d) -> keys, values (B, H, Tk, d_k): computed once for the encoder output, or grown per step."""
        return self.split_heads(self.k_proj(y)), self.split_heads(self.v_proj(y))

    def attend(self, x, keys, values, mask):
        """x (B, Tq, d) attends to keys/values (B, H, Tk, d_k); mask broadcasts to (B, H, Tq, Tk) or is None."""
        q = self.split_heads(self.q_proj(x))                               # (B, H, Tq, d_k)
        scores = torch.matmul(q, keys.transpose(-2, -1)) * self.scale      # (B, H, Tq, Tk)
        if mask is not None:
            scores = scores + mask
        probs = torch.softmax(scores, dim=-1)
        return self.out_proj(self.merge_heads(torch.matmul(probs, values)))  # (B, Tq, d)

    def forward(self, x, y, mask):
        keys, values = self.key_values(y)
        return self.attend(x, keys, values, mask)


class FeedForward(nn.Module):
    """FFN(x) = max(0, x W1^T + b1) W2^T + b2 (paper section 3.3)."""

    def __init__(self, d_model, d_ff):
        super().__init__()
        self.fc1 = nn.Linear(d_model, d_ff)
        self.fc2 = nn.Linear(d_ff, d_model)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


def residual(x, sublayer, norm, pre_norm, dropout, training):
    """The connection around every sub-layer (SublayerConnection.java):
    post-norm LayerNorm(x + Dropout(Sublayer(x))), pre-norm x + Dropout(Sublayer(LayerNorm(x)))."""
    if pre_norm:
        return x + F.dropout(sublayer(norm(x)), dropout, training)
    return norm(x + F.dropout(sublayer(x), dropout, training))


class EncoderLayer(nn.Module):
    """Self-attention, then feed-forward, each in a residual connection (Figure 1, left)."""

    def __init__(self, c):
        super().__init__()
        self.pre_norm, self.dropout = c.pre_norm, c.dropout
        self.self_attn = MultiHeadAttention(c.d_model, c.heads)
        self.self_attn_norm = nn.LayerNorm(c.d_model, eps=c.layer_norm_eps)
        self.ffn = FeedForward(c.d_model, c.d_ff)
        self.ffn_norm = nn.LayerNorm(c.d_model, eps=c.layer_norm_eps)

    def forward(self, x, src_mask):
        """x (B, S, d); src_mask (B, 1, 1, S) hides the padding."""
        x = residual(x, lambda h: self.self_attn(h, h, src_mask), self.self_attn_norm, self.pre_norm,
                     self.dropout, self.training)
        return residual(x, self.ffn, self.ffn_norm, self.pre_norm, self.dropout, self.training)


class DecoderLayer(nn.Module):
    """Masked self-attention, encoder-decoder attention, feed-forward, each in a residual connection
    (Figure 1, right)."""

    def __init__(self, c):
        super().__init__()
        self.pre_norm, self.dropout = c.pre_norm, c.dropout
        self.self_attn = MultiHeadAttention(c.d_model, c.heads)
        self.self_attn_norm = nn.LayerNorm(c.d_model, eps=c.layer_norm_eps)
        self.cross_attn = MultiHeadAttention(c.d_model, c.heads)
        self.cross_attn_norm = nn.LayerNorm(c.d_model, eps=c.layer_norm_eps)
        self.ffn = FeedForward(c.d_model, c.d_ff)
        self.ffn_norm = nn.LayerNorm(c.d_model, eps=c.layer_norm_eps)

    def _residual(self, x, sublayer, norm):
        return residual(x, sublayer, norm, self.pre_norm, self.dropout, self.training)

    def forward(self, x, memory, tgt_mask, src_mask):
        """x (B, T, d); memory (B, S, d), the encoder output; tgt_mask (1, 1, T, T) causal."""
        x = self._residual(x, lambda h: self.self_attn(h, h, tgt_mask), self.self_attn_norm)
        x = self._residual(x, lambda h: self.cross_attn(h, memory, src_mask), self.cross_attn_norm)
        return self._residual(x, self.ffn, self.ffn_norm)

    def step(self, x, cache, layer):
        """One incremental step (DecoderLayer.step): x (rows, 1, d) holds the newest position of every row.

        Self-attention appends the position's keys and values to the layer's cache and attends to all of them
        (no mask: every cached position is in the past). Encoder-decoder attention uses the memory keys and values
        computed once per sentence, (n, H, S, d_k); the `group` rows of a sentence (its beam) are that sentence's
        queries, so the memory is never copied per hypothesis."""
        def self_attention(h):
            keys, values = self.self_attn.key_values(h)                        # (rows, H, 1, d_k)
            keys, values = cache.append(layer, keys, values)                  # (rows, H, t+1, d_k)
            return self.self_attn.attend(h, keys, values, None)

        def cross_attention(h):
            rows, _, d = h.shape
            queries = h.view(cache.sentences, cache.group, d)                  # (n, group, d)
            out = self.cross_attn.attend(queries, cache.memory_keys[layer], cache.memory_values[layer],
                                         cache.src_mask)                       # (n, group, d)
            return out.view(rows, 1, d)

        x = self._residual(x, self_attention, self.self_attn_norm)
        x = self._residual(x, cross_attention, self.cross_attn_norm)
        return self._residual(x, self.ffn, self.ffn_norm)


class Stack(nn.Module):
    """N layers, and in pre-norm a final layer norm (named encoder.norm / decoder.norm in the checkpoint)."""

    def __init__(self, layers, c):
        super().__init__()
        self.layers = nn.ModuleList(layers)
        self.norm = nn.LayerNorm(c.d_model, eps=c.layer_norm_eps) if c.pre_norm else None

    def final(self, x):
        return self.norm(x) if self.norm is not None else x


# ---------------------------------------------------------------------------------------------- the model

class Transformer(nn.Module):
    """The encoder-decoder (Transformer.java): encode once, decode against the memory, project to logits."""

    def __init__(self, c):
        super().__init__()
        self.config = c
        self.positions = PositionalEncoding(c.d_model, c.positional == "sinusoidal-concat")
        self.src_embed = nn.Embedding(c.src_vocab_size, c.d_model)
        self.tgt_embed = self.src_embed if c.tie_embeddings == "all" else nn.Embedding(c.tgt_vocab_size, c.d_model)
        self.generator = nn.Linear(c.d_model, c.tgt_vocab_size, bias=False) if c.tie_embeddings == "none" else None
        self.encoder = Stack([EncoderLayer(c) for _ in range(c.encoder_layers)], c)
        self.decoder = Stack([DecoderLayer(c) for _ in range(c.decoder_layers)], c)

    def embed(self, table, ids, position_ids):
        return embed(table, self.positions, ids, position_ids, self.config.d_model, self.config.dropout, self.training)

    def generator_weight(self):
        """(V, d): the generator's own matrix, or the target embedding when tied (paper section 3.4)."""
        return self.generator.weight if self.generator is not None else self.tgt_embed.weight

    def encode(self, src, src_lengths):
        """src (B, S) padded ids, src_lengths (B,) -> memory (B, S, d) and the padding mask (B, 1, 1, S)."""
        src_mask = padding_mask(src_lengths, src.shape[1])
        x = self.embed(self.src_embed, src, positions_of(src))
        for layer in self.encoder.layers:
            x = layer(x, src_mask)
        return self.encoder.final(x), src_mask

    def decode(self, tgt_in, memory, src_mask):
        """tgt_in (B, T): <bos> + target, padded -> decoder output (B, T, d)."""
        x = self.embed(self.tgt_embed, tgt_in, positions_of(tgt_in))
        tgt_mask = causal_mask(tgt_in.shape[1], tgt_in.device)
        for layer in self.decoder.layers:
            x = layer(x, memory, tgt_mask, src_mask)
        return self.decoder.final(x)

    def logits(self, h):
        """(..., d) -> (..., V): the final linear, without bias."""
        return F.linear(h, self.generator_weight())

    def forward(self, src, src_lengths, tgt_in):
        """Teacher forcing: (B, S), (B,), (B, T) -> logits (B, T, V)."""
        memory, src_mask = self.encode(src, src_lengths)
        return self.logits(self.decode(tgt_in, memory, src_mask))

    # --- incremental decoding

    def start_decoding(self, src, src_lengths, group):
        """Encodes once and computes every decoder layer's encoder-decoder keys and values (Transformer.startDecoding)."""
        memory, src_mask = self.encode(src, src_lengths)
        kv = [layer.cross_attn.key_values(memory) for layer in self.decoder.layers]
        return DecoderCache([k for k, _ in kv], [v for _, v in kv], src_mask, group)

    def step(self, tokens, cache):
        """tokens (rows,) int64, one per row -> log-probabilities of the next token (rows, V)."""
        positions = torch.full((tokens.shape[0], 1), cache.steps, dtype=torch.long, device=tokens.device)
        x = self.embed(self.tgt_embed, tokens[:, None], positions)            # (rows, 1, d)
        for i, layer in enumerate(self.decoder.layers):
            x = layer.step(x, cache, i)
        cache.steps += 1
        return torch.log_softmax(self.logits(self.decoder.final(x))[:, 0, :], dim=-1)


def positions_of(ids):
    """(B, T) ids -> (B, T) positions 0..T-1."""
    return torch.arange(ids.shape[1], device=ids.device).expand(ids.shape[0], -1)


class DecoderCache:
    """What incremental decoding keeps between steps (DecoderState.java): per layer the memory keys and values
    (n, H, S, d_k), one copy per sentence shared by its `group` rows, and the self-attention keys and values of
    the positions so far (rows, H, t, d_k), rows = n * group, sentence-major."""

    def __init__(self, memory_keys, memory_values, src_mask, group):
        self.memory_keys, self.memory_values = memory_keys, memory_values
        self.src_mask = src_mask                       # (n, 1, 1, S)
        self.group = group
        self.keys = [None] * len(memory_keys)
        self.values = [None] * len(memory_keys)
        self.steps = 0

    @property
    def sentences(self):
        return self.src_mask.shape[0]

    def append(self, layer, keys, values):
        if self.keys[layer] is not None:
            keys = torch.cat([self.keys[layer], keys], dim=2)
            values = torch.cat([self.values[layer], values], dim=2)
        self.keys[layer], self.values[layer] = keys, values
        return keys, values

    def select(self, sentences, rows):
        """Keeps sentences[s] as new sentence s and old row rows[r] as new row r (DecoderState.select)."""
        device = self.src_mask.device
        sentences = torch.as_tensor(sentences, dtype=torch.long, device=device)
        rows = torch.as_tensor(rows, dtype=torch.long, device=device)
        if len(sentences) != self.sentences or not torch.equal(sentences, torch.arange(self.sentences, device=device)):
            self.memory_keys = [k.index_select(0, sentences) for k in self.memory_keys]
            self.memory_values = [v.index_select(0, sentences) for v in self.memory_values]
            self.src_mask = self.src_mask.index_select(0, sentences)
        self.keys = [None if k is None else k.index_select(0, rows) for k in self.keys]
        self.values = [None if v is None else v.index_select(0, rows) for v in self.values]


# ---------------------------------------------------------------------------------------------- loading

def load_model(model_dir, device="cpu"):
    """A transformer4j model directory -> the Transformer in eval mode, float32, on `device`.

    Every name, shape and dtype is checked against config.json; tied matrices are stored once (the source
    embedding for `all`, the target embedding for `decoder`) and appear under every name that shares them."""
    c = Config.read(model_dir)
    tensors, _ = read_safetensors(os.path.join(model_dir, WEIGHTS_FILE))
    expected = parameter_names(c)
    missing = [n for n in expected if n not in tensors]
    extra = [n for n in tensors if n not in expected]
    if missing or extra:
        raise ValueError(f"{model_dir}/{WEIGHTS_FILE} does not match config.json: missing {missing}, unexpected {extra}")
    model = Transformer(c)
    state = {name: t.float() for name, t in tensors.items()}
    if c.tie_embeddings == "all":
        state["tgt_embed.weight"] = state["src_embed.weight"]
    own = model.state_dict()
    for name, t in state.items():
        if name in own and own[name].shape != t.shape:
            raise ValueError(f"{model_dir}/{WEIGHTS_FILE}: {name} has shape {list(t.shape)}, config.json needs "
                             f"{list(own[name].shape)}")
    model.load_state_dict(state, strict=True)
    return model.to(device).eval()
