"""A BERT sentence encoder in numpy: the MiniLM forward pass without torch.

Loading sentence-transformers costs seconds (importing torch alone takes more than a second) and a short
question needs only one small forward pass, so ``storyline ask`` and the web app encode questions with this
module instead.  It reads the same model folder (``model.safetensors``, ``tokenizer.json``, ``config.json``,
``1_Pooling/config.json``) and computes what sentence-transformers computes for a BERT model with mean
pooling: token + position + segment embeddings, layer norm, ``num_hidden_layers`` blocks of multi-head
self-attention and an exact-erf GELU feed-forward layer, mean over the real tokens, unit length.  On the
bundled all-MiniLM-L6-v2 its vectors agree with sentence-transformers' to about 1e-6 in cosine
(``tests/test_fast_ask.py`` checks 1e-5 on a table of sentences), so both share one vector cache.

Folders of another architecture (or without those files) are refused with :class:`ModelError`; the caller
then falls back to sentence-transformers.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from storyline.errors import ModelError
from storyline.extract.rows import unit_rows

_MAX_TOKENS = 256  # sentence-transformers' max_seq_length for MiniLM (sentence_bert_config.json)
# a forward pass over at most this many tokens runs BLAS on one thread: for a question's few tokens, waking
# OpenBLAS's threads costs more than it saves, and on a busy machine ten times more (0.65 s instead of 0.05 s)
_ONE_THREAD_TOKENS = 2048
# erf by Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7): numpy has no erf and scipy costs an import
_P = 0.3275911
_A = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)


def _erf(x: np.ndarray) -> np.ndarray:
    a = np.abs(x)
    t = a * np.float32(_P)
    t += 1.0
    np.reciprocal(t, out=t)
    poly = t * np.float32(_A[4])
    for coef in (_A[3], _A[2], _A[1], _A[0]):
        poly += np.float32(coef)
        poly *= t
    np.square(a, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    poly *= a
    np.subtract(1.0, poly, out=poly)
    poly *= np.sign(x)
    return poly


def _gelu(x: np.ndarray) -> np.ndarray:
    y = _erf(x * np.float32(0.7071067811865476))
    y += 1.0
    y *= x
    y *= np.float32(0.5)
    return y


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(var + np.float32(eps)) * weight + bias


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: cannot be read as a model file ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict):
        raise ModelError(f"{path}: not a JSON object")
    return data


def _check_config(folder: Path) -> dict[str, Any]:
    """The model's config.json, when it is a BERT model with mean pooling this module can run."""
    for name in ("config.json", "model.safetensors", "tokenizer.json"):
        if not (folder / name).is_file():
            raise ModelError(f"{folder}: no {name}, so the numpy encoder cannot run this model")
    config = _read_json(folder / "config.json")
    pooling = folder / "1_Pooling" / "config.json"
    pool = _read_json(pooling) if pooling.is_file() else {}
    supported = (
        config.get("model_type") == "bert"
        and config.get("hidden_act") == "gelu"
        and config.get("position_embedding_type", "absolute") == "absolute"
        and pool.get("pooling_mode_mean_tokens") is True
        and not any(pool.get(k) for k in ("pooling_mode_cls_token", "pooling_mode_max_tokens",
                                          "pooling_mode_mean_sqrt_len_tokens"))
    )
    if not supported:
        raise ModelError(f"{folder}: not a BERT model with mean pooling, so the numpy encoder cannot run it")
    return config


def _blas_controller() -> Any:
    """threadpoolctl's controller of the BLAS thread pools (a scikit-learn dependency), or None."""
    try:
        from threadpoolctl import ThreadpoolController

        return ThreadpoolController()
    except Exception:  # noqa: BLE001 - not installed or cannot inspect this process: BLAS as configured
        return None


class _Layer:
    """One transformer block's weights, transposed for ``x @ W``; query, key and value fused."""

    def __init__(self, w: dict[str, np.ndarray], prefix: str, eps: float) -> None:
        att = prefix + "attention."
        self.qkv = np.concatenate([w[f"{att}self.{n}.weight"].T for n in ("query", "key", "value")], axis=1)
        self.qkv_b = np.concatenate([w[f"{att}self.{n}.bias"] for n in ("query", "key", "value")])
        self.out = np.ascontiguousarray(w[att + "output.dense.weight"].T)
        self.out_b = w[att + "output.dense.bias"]
        self.ln1 = (w[att + "output.LayerNorm.weight"], w[att + "output.LayerNorm.bias"])
        self.up = np.ascontiguousarray(w[prefix + "intermediate.dense.weight"].T)
        self.up_b = w[prefix + "intermediate.dense.bias"]
        self.down = np.ascontiguousarray(w[prefix + "output.dense.weight"].T)
        self.down_b = w[prefix + "output.dense.bias"]
        self.ln2 = (w[prefix + "output.LayerNorm.weight"], w[prefix + "output.LayerNorm.bias"])
        self.eps = eps

    def __call__(self, x: np.ndarray, bias: np.ndarray, heads: int) -> np.ndarray:
        """``x``: (n * length, hidden) rows of n sequences; ``bias``: (n, 1, 1, length) attention mask."""
        n, length = bias.shape[0], bias.shape[-1]
        hidden = x.shape[1]
        size = hidden // heads
        qkv = (x @ self.qkv + self.qkv_b).reshape(n, length, 3, heads, size)
        q, k, v = (np.ascontiguousarray(qkv[:, :, i].transpose(0, 2, 1, 3)) for i in range(3))
        scores = q @ k.transpose(0, 1, 3, 2)
        scores *= np.float32(1.0 / np.sqrt(size))
        scores += bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(n * length, hidden)
        x = _layer_norm(context @ self.out + self.out_b + x, *self.ln1, self.eps)
        return _layer_norm(_gelu(x @ self.up + self.up_b) @ self.down + self.down_b + x, *self.ln2, self.eps)


class NumpyBertEmbedder:
    """A BERT + mean-pooling sentence encoder over a sentence-transformers model folder, numpy only.

    Same interface as :class:`storyline.extract.embed.Embedder`: ``encode`` returns L2-normalised float32
    rows (zero rows for blank texts).  Thread-safe (the tokenizer is guarded by a lock)."""

    def __init__(self, name: str, folder: str | Path) -> None:
        folder = Path(folder)
        config = _check_config(folder)
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelError(f"the numpy encoder needs safetensors and tokenizers ({exc})") from exc
        try:
            weights = load_file(str(folder / "model.safetensors"))
            tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except Exception as exc:  # noqa: BLE001 - any unreadable model file becomes one ModelError
            raise ModelError(f"{folder}: the model files cannot be read ({exc.__class__.__name__})") from exc
        weights = {k.removeprefix("bert."): v for k, v in weights.items()}
        tokenizer.no_padding()
        tokenizer.enable_truncation(min(_MAX_TOKENS, int(config.get("max_position_embeddings", 512))))
        self._tokenizer = tokenizer
        self.name = name
        self.dim = int(config["hidden_size"])
        self._heads = int(config["num_attention_heads"])
        eps = float(config.get("layer_norm_eps", 1e-12))
        try:
            self._words = weights["embeddings.word_embeddings.weight"]
            self._positions = weights["embeddings.position_embeddings.weight"]
            self._segment = weights["embeddings.token_type_embeddings.weight"][0]
            self._ln = (weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"], eps)
            layers = int(config["num_hidden_layers"])
            self._layers = [_Layer(weights, f"encoder.layer.{i}.", eps) for i in range(layers)]
        except KeyError as exc:
            raise ModelError(f"{folder}: the weights lack {exc.args[0]!r}; not a BERT model") from exc
        self._lock = threading.Lock()
        self._blas = _blas_controller()

    def _token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        with self._lock:
            return [list(e.ids) for e in self._tokenizer.encode_batch(list(texts))]

    def _forward(self, ids: list[list[int]]) -> np.ndarray:
        """Mean-pooled (not normalised) vectors of token-id lists padded to the longest."""
        length = max(len(i) for i in ids)
        tokens = np.zeros((len(ids), length), dtype=np.int64)
        mask = np.zeros((len(ids), length), dtype=np.float32)
        for row, seq in enumerate(ids):
            tokens[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1.0
        x = self._words[tokens] + self._positions[:length] + self._segment
        x = _layer_norm(x.reshape(len(ids) * length, self.dim), *self._ln)
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :].astype(np.float32)
        small = self._blas is not None and len(ids) * length <= _ONE_THREAD_TOKENS
        with self._blas.limit(limits=1, user_api="blas") if small else contextlib.nullcontext():
            for layer in self._layers:
                x = layer(x, bias, self._heads)
        summed = (x.reshape(len(ids), length, self.dim) * mask[:, :, None]).sum(axis=1)
        return summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        def run(kept: list[str]) -> np.ndarray:
            ids = self._token_ids(kept)
            order = sorted(range(len(kept)), key=lambda j: len(ids[j]))  # batches of similar length: little padding
            step = max(1, int(batch_size))
            vecs = np.zeros((len(kept), self.dim), dtype=np.float32)
            for start in range(0, len(order), step):
                chunk = order[start : start + step]
                vecs[chunk] = self._forward([ids[j] for j in chunk])
            return vecs

        return unit_rows(texts, self.dim, run)
