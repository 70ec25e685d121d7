"""Independent reference for modq's MiniLM encoder (feature `ml-candle`).

Runs all-MiniLM-L6-v2 in plain numpy, straight from model.safetensors, and
tokenizes with Hugging Face's `tokenizers` package, then prints the token
ids and the first embedding values of a few fixed sentences. The unit test
in src/classifier/minilm.rs pins those values, so modq's candle encoder is
checked against a second implementation of the same model.

    pip install numpy safetensors tokenizers
    python3 tools/minilm_reference.py models/minilm
"""
import json
import sys

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

SENTENCES = [
    "This is an example sentence",
    "WIN a FREE prize now!!! Call 0800 123 456",
    "I disagree with the author about the council's budget.",
]


def layer_norm(x, w, b, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def gelu(x):
    from math import erf, sqrt
    return 0.5 * x * (1.0 + np.vectorize(erf)(x / sqrt(2.0)))


def embed(w, cfg, ids):
    eps = cfg["layer_norm_eps"]
    heads = cfg["num_attention_heads"]
    n = len(ids)
    x = (w["embeddings.word_embeddings.weight"][ids]
         + w["embeddings.position_embeddings.weight"][:n]
         + w["embeddings.token_type_embeddings.weight"][0])
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        lin = lambda name, v: v @ w[p + name + ".weight"].T + w[p + name + ".bias"]
        q, k, v = (lin(f"attention.self.{m}", x) for m in ("query", "key", "value"))
        d = q.shape[1] // heads
        split = lambda t: t.reshape(n, heads, d).transpose(1, 0, 2)
        q, k, v = split(q), split(k), split(v)
        att = q @ k.transpose(0, 2, 1) / np.sqrt(d)
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(1, 0, 2).reshape(n, heads * d)
        x = layer_norm(lin("attention.output.dense", ctx) + x,
                       w[p + "attention.output.LayerNorm.weight"],
                       w[p + "attention.output.LayerNorm.bias"], eps)
        h = gelu(lin("intermediate.dense", x))
        x = layer_norm(lin("output.dense", h) + x,
                       w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
    mean = x.mean(0)
    return mean / np.linalg.norm(mean)


def main(model_dir):
    w = {k.removeprefix("bert."): v.astype(np.float64)
         for k, v in load_file(f"{model_dir}/model.safetensors").items()}
    cfg = json.load(open(f"{model_dir}/config.json"))
    tok = Tokenizer.from_file(f"{model_dir}/tokenizer.json")
    tok.no_padding()
    for s in SENTENCES:
        ids = tok.encode(s).ids
        e = embed(w, cfg, ids)
        print(s)
        print("  ids", ids)
        print("  first", [round(float(v), 6) for v in e[:6]])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "models/minilm")
