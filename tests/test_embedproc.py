"""storyline.extract.embedproc: the sentence model in a child process, with texts encoded ahead.

The child runs the real bundled MiniLM; every check compares its rows with the same model in this process."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from storyline.errors import ModelError
from storyline.extract.embed import Embedder, get_embedder
from storyline.extract.embedproc import AHEAD_BATCH, EmbedderProcess

pytestmark = pytest.mark.slow

TEXTS = [
    "The council voted to close the bridge for repairs.",
    "Repairs to the bridge will take six weeks, the council said.",
    "A ferry will run while the bridge is closed.",
    "Shops near the bridge expect fewer customers.",
    "The mayor said the ferry would be free.",
    "Engineers found cracks in two of the piers.",
]


@pytest.fixture(scope="module")
def local() -> Embedder:
    return get_embedder()


@pytest.fixture(scope="module")
def proc() -> EmbedderProcess:
    with EmbedderProcess() as p:
        yield p


CLOSE = 1e-6  # the child and this process may run a batch with other thread counts: the last float bits


def test_rows_are_the_same_model_as_in_this_process(proc: EmbedderProcess, local: Embedder) -> None:
    got = proc.encode(TEXTS)
    assert got.dtype == np.float32 and got.shape == (len(TEXTS), local.dim) and proc.dim == local.dim
    np.testing.assert_allclose(got, local.encode(TEXTS), rtol=0, atol=CLOSE)


def test_empty_request(proc: EmbedderProcess, local: Embedder) -> None:
    assert proc.encode([]).shape == (0, local.dim)


@pytest.mark.parametrize(
    ("groups", "asked", "ahead"),
    [
        ([TEXTS[:3], TEXTS[3:]], TEXTS, {6}),  # everything asked was encoded ahead
        # one ahead, one not: the request waits for the batch holding TEXTS[0] (AHEAD_BATCH = 2), and the
        # child may or may not have done the next one before the request came
        ([TEXTS[:3]], [TEXTS[4], TEXTS[0]], {2, 3}),
        ([TEXTS[:2], TEXTS[:2]], TEXTS[:2], {2}),  # a text in two groups is encoded once
        ([[], TEXTS[5:]], TEXTS[5:], {1}),  # an empty group is skipped
        ([], TEXTS[:2], {0}),  # nothing ahead: the request is encoded as asked
        # no match: the request does not wait for the texts ahead (done before or after it: the rows are the same)
        ([TEXTS[:2]], ["a text nobody sent ahead"], {0, 2}),
    ],
)
def test_prefetch_rows_equal_the_batches_they_were_encoded_in(
    proc: EmbedderProcess, local: Embedder, groups: list[list[str]], asked: list[str], ahead: set[int]
) -> None:
    proc.prefetch(groups)
    got = proc.encode(asked)
    assert proc.ahead in ahead
    batches = [list(dict.fromkeys(g))[i : i + AHEAD_BATCH] for g in groups for i in range(0, len(g), AHEAD_BATCH)]
    expected: dict[str, np.ndarray] = {}
    for batch in batches:  # as the child does: each batch less what an earlier one encoded
        todo = [t for t in batch if t not in expected]
        if todo:
            expected.update(zip(todo, local.encode(todo), strict=True))
    rest = [t for t in dict.fromkeys(asked) if t not in expected]
    if rest:
        expected.update(zip(rest, local.encode(rest), strict=True))
    np.testing.assert_allclose(got, np.stack([expected[t] for t in asked]), rtol=0, atol=CLOSE)


def test_result_does_not_depend_on_timing(local: Embedder) -> None:
    many = [f"{t} ({n})" for n in range(12) for t in TEXTS]  # 72 texts: three batches ahead
    groups = [many[:40], many[40:]]
    runs = []
    for pause in (0.0, 3.0):  # ask at once (the child still loading), or after it has encoded everything
        with EmbedderProcess() as p:
            p.prefetch(groups)
            time.sleep(pause)
            runs.append(p.encode([many[50], *TEXTS, many[3]]))
    np.testing.assert_array_equal(runs[0], runs[1])  # the same bits: batches and thread counts fixed by the input
    assert np.abs(runs[0] - local.encode([many[50], *TEXTS, many[3]])).max() < 1e-5


def test_a_model_that_cannot_load_is_a_model_error(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    with EmbedderProcess(str(tmp_path / "no-such-model")) as p:
        p.prefetch([TEXTS])
        with pytest.raises(ModelError, match="no-such-model"):
            p.encode(TEXTS)
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err


def test_a_killed_child_is_replaced_by_the_model_in_this_process(local: Embedder) -> None:
    p = EmbedderProcess().start()
    child = p._proc
    assert child is not None
    child.kill()
    child.wait()
    got = p.encode(TEXTS)
    np.testing.assert_array_equal(got, local.encode(TEXTS))  # this process's model, this process's threads
    p.prefetch([TEXTS])  # after the loss, nothing is sent anywhere
    np.testing.assert_array_equal(p.encode(TEXTS[:2]), local.encode(TEXTS[:2]))
    p.close()


def test_close_stops_the_child_and_is_idempotent() -> None:
    p = EmbedderProcess().start()
    child = p._proc
    assert child is not None and child.poll() is None
    p.close()
    assert child.poll() is not None
    p.close()


def test_no_child_to_start_means_the_model_in_this_process(
    monkeypatch: pytest.MonkeyPatch, local: Embedder
) -> None:
    import storyline.extract.embedproc as embedproc

    def refuse(name: str) -> None:
        raise OSError("no interpreter to start")

    monkeypatch.setattr(embedproc, "_spawn", refuse)
    with EmbedderProcess() as p:
        p.prefetch([TEXTS])
        np.testing.assert_array_equal(p.encode(TEXTS), local.encode(TEXTS))
        assert p.dim == local.dim and p._proc is None


# ------------------------------------------------------------------ minilm_torch: the child's loader

LONG = " ".join(f"word{n} of a sentence that goes on" for n in range(120))  # > 256 tokens: truncated
TABLE = [*TEXTS, LONG, "Zoë Ødegaard met 12 délégués in Łódź.", "   ", "", "短い文です。", "OK", LONG[:700]]


@pytest.fixture(scope="module")
def lean() -> Embedder:
    from storyline.extract.embed import default_model_path
    from storyline.extract.minilm_torch import TorchBertEmbedder

    return TorchBertEmbedder("all-MiniLM-L6-v2", default_model_path())


@pytest.mark.parametrize(("batch_size", "threads"), [(64, 2), (3, 2), (1, 2), (64, 1), (3, 1)])
def test_torch_bert_rows_are_sentence_transformers_rows(
    lean: Embedder, local: Embedder, batch_size: int, threads: int
) -> None:
    """Same process, same thread count: the same bits."""
    import torch

    before = torch.get_num_threads()
    try:
        torch.set_num_threads(threads)
        np.testing.assert_array_equal(lean.encode(TABLE, batch_size=batch_size), local.encode(TABLE, batch_size=batch_size))
    finally:
        torch.set_num_threads(before)
    assert lean.encode([]).shape == (0, local.dim)


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"modules.json": '[{"type": "sentence_transformers.models.Transformer"}]'}, "not a BERT"),
        ({"1_Pooling/config.json": '{"pooling_mode_cls_token": true}'}, "not a BERT"),
        ({"config.json": "{not json"}, "cannot be read"),
        ({"model.safetensors": "not weights"}, "cannot be loaded"),
        ({}, None),  # no match: an unchanged copy loads
    ],
)
def test_torch_bert_refuses_what_it_does_not_mirror(tmp_path: Path, change: dict[str, str], error: str | None) -> None:
    import shutil

    from storyline.extract.embed import default_model_path
    from storyline.extract.minilm_torch import TorchBertEmbedder

    folder = tmp_path / "model"
    shutil.copytree(default_model_path(), folder)
    for name, text in change.items():
        (folder / name).write_text(text, encoding="utf-8")
    if error is None:
        assert TorchBertEmbedder("copy", folder).dim == 384
    else:
        with pytest.raises(ModelError, match=error):
            TorchBertEmbedder("copy", folder)
