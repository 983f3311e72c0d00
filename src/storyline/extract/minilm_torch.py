"""The bundled MiniLM in plain torch calls: what sentence-transformers computes, bit for bit, without importing it.

Importing sentence-transformers takes about 4 s here (it brings scikit-learn and much of transformers); the
model itself loads in a tenth of a second.  ``watch`` runs the sentence model in a process of its own
(:mod:`storyline.extract.embedproc`) that should be ready while the pass is still parsing, so that process
loads the model with this module: torch, ``tokenizers`` and ``safetensors`` only (about 1 s).

It reads the same folder and mirrors what sentence-transformers does with a BERT model with mean pooling and
a Normalize module, step by step, so the rows are the same bits (``tests/test_embedproc.py`` compares them on
a table of texts, long ones truncated included):

* the texts sorted by ``numpy.argsort([-len(text)])`` and cut into batches of ``batch_size``;
* the tokenizer of ``tokenizer.json`` truncating at ``max_seq_length`` (``sentence_bert_config.json``) and
  padding to the longest text of the batch;
* word + segment embeddings, then + position embeddings, layer norm; per layer, query/key/value laid out as
  transformers lays them out, ``scaled_dot_product_attention`` with no mask when nothing in the batch is
  padded and a boolean (batch, 1, L, L) mask otherwise; exact-erf GELU;
* mean over the real tokens (float32 sums, the count clamped at 1e-9), unit length, and then
  ``SentenceTransformerEmbedder.encode``'s own renormalisation and zero rows for blank texts.

Another layout (not BERT, other pooling, no Normalize) raises :class:`ModelError`; the caller then loads the
model with sentence-transformers.  The match was checked with sentence-transformers 6.3, transformers 5.25 and
torch 2.13: a release that changed how they batch, mask or attend would break it, and the test would say so.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812

from storyline.errors import ModelError
from storyline.extract.rows import unit_rows

_POOLING_OFF = ("pooling_mode_cls_token", "pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens")


class _Bert:
    """The BERT encoder as functional calls on the checkpoint's tensors (no modules built or initialised)."""

    def __init__(self, cfg: dict[str, Any], weights: dict[str, torch.Tensor]) -> None:
        self.hidden = int(cfg["hidden_size"])
        self.head_dim = self.hidden // int(cfg["num_attention_heads"])
        self.scaling = self.head_dim**-0.5
        self.eps = float(cfg["layer_norm_eps"])
        self.pad = int(cfg.get("pad_token_id", 0))
        self.layers = int(cfg["num_hidden_layers"])
        self.w = weights
        self.positions = torch.arange(int(cfg["max_position_embeddings"])).expand((1, -1))

    def _norm(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return F.layer_norm(x, (self.hidden,), self.w[f"{name}.weight"], self.w[f"{name}.bias"], self.eps)

    def _linear(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return F.linear(x, self.w[f"{name}.weight"], self.w[f"{name}.bias"])

    def __call__(self, ids: torch.Tensor, types: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        w = self.w
        b, n = ids.shape
        x = F.embedding(ids, w["embeddings.word_embeddings.weight"], self.pad) + F.embedding(
            types, w["embeddings.token_type_embeddings.weight"]
        )
        x = x + F.embedding(self.positions[:, 0:n], w["embeddings.position_embeddings.weight"])
        h = self._norm(x, "embeddings.LayerNorm")
        attend = None if bool(mask.all()) else mask.bool()[:, None, None, :].expand(b, 1, n, n).contiguous()
        shape = (b, n, -1, self.head_dim)
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            q, k, v = (self._linear(h, f"{p}attention.self.{t}").view(*shape).transpose(1, 2) for t in ("query", "key", "value"))
            a = F.scaled_dot_product_attention(q, k, v, attn_mask=attend, dropout_p=0.0, scale=self.scaling, is_causal=False)
            a = a.reshape(a.shape[0], -1, n, v.shape[-1]).transpose(1, 2).contiguous().reshape(b, n, -1).contiguous()
            a = self._norm(self._linear(a, f"{p}attention.output.dense") + h, f"{p}attention.output.LayerNorm")
            h = self._norm(self._linear(F.gelu(self._linear(a, f"{p}intermediate.dense")), f"{p}output.dense") + a,
                           f"{p}output.LayerNorm")  # fmt: skip
        return h


def _read(folder: Path, name: str) -> dict[str, Any]:
    try:
        return json.loads((folder / name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{folder / name} cannot be read ({exc.__class__.__name__})") from exc


def _check(folder: Path) -> tuple[dict[str, Any], int]:
    """The model's config and max_seq_length; ModelError for any layout this module does not mirror."""
    cfg, st, pool = _read(folder, "config.json"), _read(folder, "sentence_bert_config.json"), _read(folder, "1_Pooling/config.json")
    modules = [m.get("type", "").rsplit(".", 1)[-1] for m in _read(folder, "modules.json")]  # type: ignore[attr-defined]
    if (
        modules != ["Transformer", "Pooling", "Normalize"]
        or not pool.get("pooling_mode_mean_tokens")
        or any(pool.get(k) for k in _POOLING_OFF)
        or cfg.get("model_type") != "bert"
        or cfg.get("hidden_act") != "gelu"
        or cfg.get("position_embedding_type", "absolute") != "absolute"
    ):
        raise ModelError(f"{folder} is not a BERT with mean pooling and Normalize")
    return cfg, int(st.get("max_seq_length") or cfg["max_position_embeddings"])


class TorchBertEmbedder:
    """The Embedder interface over :class:`_Bert`; rows equal ``SentenceTransformerEmbedder``'s."""

    def __init__(self, name: str, folder: str | Path) -> None:
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        folder = Path(folder)
        cfg, max_len = _check(folder)
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            weights = {k.removeprefix("bert."): v for k, v in load_file(str(folder / "model.safetensors")).items()}
            tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except Exception as exc:  # noqa: BLE001 - a missing or broken file: the caller falls back
            raise ModelError(f"{folder} cannot be loaded ({exc.__class__.__name__})") from exc
        tok.enable_truncation(max_length=max_len, stride=0, strategy="longest_first", direction="right")
        tok.enable_padding(direction="right", pad_id=0, pad_type_id=0, pad_token="[PAD]", length=None)
        self.name = name
        self.dim = int(cfg["hidden_size"])
        self._tok = tok
        self._model = _Bert(cfg, weights)
        self._lock = threading.Lock()

    @torch.inference_mode()
    def _batch(self, texts: list[str]) -> torch.Tensor:
        enc = self._tok.encode_batch(texts, add_special_tokens=True)
        ids = torch.tensor([e.ids for e in enc], dtype=torch.long)
        types = torch.tensor([e.type_ids for e in enc], dtype=torch.long)
        mask = torch.tensor([e.attention_mask for e in enc], dtype=torch.long)
        tokens = self._model(ids, types, mask)
        m = mask.unsqueeze(-1).to(tokens.dtype)
        pooled = (tokens * m).sum(dim=1, dtype=torch.float32) / torch.clamp(m.sum(dim=1, dtype=torch.float32), min=1e-9)
        return F.normalize(pooled.to(tokens.dtype), p=2, dim=-1)

    @torch.inference_mode()
    def _rows(self, texts: list[str], batch_size: int) -> np.ndarray:
        order = np.argsort([-len(t) for t in texts])
        ordered = [texts[i] for i in order]
        rows: list[torch.Tensor] = []
        for start in range(0, len(ordered), batch_size):
            rows.extend(self._batch(ordered[start : start + batch_size]))
        return torch.stack([rows[i] for i in np.argsort(order)]).cpu().numpy()

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        def run(kept: list[str]) -> np.ndarray:
            with self._lock:
                return self._rows(kept, max(1, int(batch_size)))

        return unit_rows(texts, self.dim, run)
