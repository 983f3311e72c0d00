"""Cleaning where the batch runs, and the time budget in a thread other than the main one (issue 15, item 1):
``_prepare`` turns an Article into its task or the failure the main process used to record, ``_run_batch``
sends back the cleaned parts with the extraction, and ``_watchdog`` keeps the budget in a Dask worker thread.
Every article text here was written for this file."""

from __future__ import annotations

import threading
import time

import pytest

from storyline import pipeline
from storyline.errors import InputError
from storyline.ingest.clean import clean
from storyline.pipeline import Cleaned, Skipped, _prepare, _run_batch, _watchdog
from storyline.records import Article, CleanArticle, Extraction

STORY = (
    "Tollbridge repairs delayed\n\n"
    "The council of Brennock said on Monday that repairs to the old tollbridge would start in May, two months "
    "later than planned, because the steel had not arrived.\n\n"
    "Advertisement\n\n"
    "Ines Farrow, who leads the works, said 14 crews were ready and the road would reopen by August."
)
FURNITURE = "Advertisement\n\nShare this article on Facebook\n\nSubscribe now to continue reading\n\nFollow us on Twitter"
SLOW = "The Quarry Lane footbridge"


def parts(c: CleanArticle) -> tuple:
    """A CleanArticle as comparable values (its character map has no ``==``)."""
    spans = tuple(c.offsets.to_original(i, i + 1) for i in range(len(c.text)))
    return c.article, c.text, c.removed, spans


def article(text: str, name: str = "a.txt") -> Article:
    return Article(id=f"id-{name}", origin=f"/in/{name}", text=text, format="text", published="2025-04-02")


@pytest.mark.parametrize(
    ("item", "max_chars", "expected"),
    [
        (article(STORY), 10_000, "task"),  # cleaned: "Advertisement" goes, the rest is the task
        (article(FURNITURE, "f.txt"), 10_000, Skipped("NoArticleText", "nothing left after removing page furniture")),
        (article(STORY), 100, Skipped("InputTooLarge", "284 characters of text, more than the 100 parsed")),
        (article(STORY), 283, Skipped("InputTooLarge", "284 characters of text, more than the 283 parsed")),
        (article(STORY), 284, "task"),  # at the limit: no failure
        (("id-t", "An already cleaned text.", None), 5, ("id-t", "An already cleaned text.", None)),  # a Task as is
    ],
)
def test_prepare(item, max_chars, expected) -> None:
    got = _prepare(item, max_chars)
    if expected == "task":
        cleaned = clean(item)
        assert got[0] == (item.id, cleaned.text, item.published) and parts(got[1]) == parts(cleaned)
        assert "Advertisement" not in cleaned.text and len(cleaned.text) == 284
    elif isinstance(expected, Skipped):
        assert got == expected and got.source is None
    else:
        assert got == (expected, None)


def test_prepare_keeps_the_source_of_an_input_error(monkeypatch) -> None:
    def refuse(a: Article):
        raise InputError("/in/a.txt#2", "the text is not valid")

    monkeypatch.setattr(pipeline, "clean_article", refuse)
    assert _prepare(article(STORY), 10_000) == Skipped("InputError", "the text is not valid", "/in/a.txt#2")


def test_run_batch_sends_the_cleaned_parts_with_the_extraction() -> None:
    items = [article(STORY), article(FURNITURE, "f.txt"), ("id-t", "Ines Farrow spoke in Brennock.", None)]
    first, second, third = _run_batch(items, max_chars=10_000)
    expected = clean(items[0])
    assert isinstance(first, Cleaned) and parts(first.joined(items[0])) == parts(expected)
    assert first.extraction == pipeline.extract_doc(pipeline.load_nlp()(expected.text), "id-a.txt", "2025-04-02")
    assert second == Skipped("NoArticleText", "nothing left after removing page furniture")
    assert isinstance(third, Extraction) and third.article_id == "id-t"


def _slow_extract(doc, article_id, published, stages=pipeline.STAGES) -> Extraction:
    if SLOW in doc.text:
        for _ in range(60):  # 3 s of short sleeps: a budget stops it at the next one
            time.sleep(0.05)
    return Extraction(article_id=article_id, words=len(doc))


def in_thread(fn):
    out: list = []
    thread = threading.Thread(target=lambda: out.append(fn()))
    thread.start()
    thread.join(timeout=60)
    return out[0]


@pytest.mark.parametrize(
    ("threads", "expected"),
    [
        (True, Skipped("InputTooLarge", "over the 0.5 s time budget for parsing and extraction")),
        (False, Extraction),  # a thread of another program: no budget, as before
    ],
)
def test_budget_in_a_thread_other_than_the_main_one(monkeypatch, threads: bool, expected) -> None:
    monkeypatch.setattr(pipeline, "extract_doc", _slow_extract)
    items = [("id0", "The ferry ran on time.", None), ("id1", SLOW + " closed.", None), ("id2", "Rain fell.", None)]
    out = in_thread(lambda: _run_batch(items, budget=0.5, threads=threads))
    assert [type(o) for k, o in enumerate(out) if k != 1] == [Extraction, Extraction]
    assert out[1] == expected if isinstance(expected, Skipped) else isinstance(out[1], expected)


def _busy(seconds: float) -> int:
    end, n = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        n += 1
    return n


@pytest.mark.parametrize(
    ("work_s", "budget_s", "raised"),
    [
        (2.0, 0.2, True),  # over: stopped at about the budget
        (0.0, 0.2, False),  # no match: done in time, and nothing is raised after the block
        (0.05, 5.0, False),
    ],
)
def test_watchdog(work_s: float, budget_s: float, raised: bool) -> None:
    def run() -> bool:
        try:
            with _watchdog(budget_s):
                _busy(work_s)
        except pipeline._OverBudget:
            return True
        _busy(budget_s + 0.3)  # past the deadline, outside the block: nothing may come
        return False

    assert in_thread(run) is raised
