"""Oversized and slow articles (issue 13): linear markup, chunked parsing, the length limit, the time budget
and bounded batches.  Correctness only: speed is measured by bench/linear.py, never asserted here.

Every text here is invented for these tests.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline import pipeline
from storyline.extract.nlp import load_nlp
from storyline.ingest.markup import markdown_to_text
from storyline.pipeline import Skipped, analyze, chunk_bounds, extract_doc, parse_text, run_batches
from storyline.records import Extraction
from storyline.store import Store

PARAGRAPHS = [
    "The council of Port Arvel approved a budget of $40 million for the sea wall on 3 March 2025, "
    "the mayor, Teodora Valcu, said on Tuesday.",
    "\u201cWe cannot wait another winter,\u201d said Marek Orlanov, the harbour master. "
    "\u201cThe wall is failing now.\u201d",
    "According to the Coastal Authority, at least 120 people were moved out of Caldera Bay after the river "
    "rose on Sunday. Water levels had fallen by 12 percent by 5 March, the authority said.",
    "Ilse Brenner, a union leader, told reporters that repairs would take six weeks and cost about "
    "$9 million. She said 45 volunteers had joined the clean-up since Friday.",
    "Schools in Velmora will reopen on 10 March, the council said. In 2019, a similar flood displaced "
    "3,000 people and closed the ferry terminal for four months.",
]


def _text(n_paragraphs: int) -> str:
    out = []
    for i in range(n_paragraphs):
        para = PARAGRAPHS[i % len(PARAGRAPHS)]
        out.append(f"{para} The count stood at {i + 7} on Monday.")  # no two paragraphs alike
    return "\n\n".join(out)


# --------------------------------------------------------------------------- Markdown on hostile lines

_UNIT = "a *b _c **d ~~e [g <http://h "  # nothing here ever closes


@pytest.mark.parametrize(
    ("md", "expected"),
    [
        # emphasis pairs, nested and unclosed, as the plain regexes (applied in turn) read them
        ("**a __b** c__", "a _b c_"),
        ("***a***", "a"),
        ("*a **b** c*", "a b c"),
        ("a * b * c", "a * b * c"),
        ("snake_case_name and _real_ emphasis", "snake_case_name and real emphasis"),
        ("~~gone~~ ~~ not ~~", "gone ~~ not ~~"),
        # links and images: the first "]" closes the text; a missing ")" or "]" leaves the rest alone
        ("[a[b](u)", "a[b"),
        ("[[link]](u)", "[[link]](u)"),
        ("see [the report](http://x.y/r) and ![chart](c.png)", "see the report and"),
        ("[a](b [c](d)", "a"),
        ("[a][ref] and [b][]", "a and b"),
        ("<http://x.y/a <http://x.y/b>", "<http://x.y/a http://x.y/b"),
        ("# Title ##   ", "Title"),
        ("# Title#", "Title#"),
        # long hostile lines: nothing closes, nothing is removed
        (_UNIT * 9_000, (_UNIT * 9_000).strip()),
        ("[" * 200_000, "[" * 200_000),
        ("[a](" * 50_000, ("[a](" * 50_000)),
        ("<http://" * 25_000, "<http://" * 25_000),
        ("![x](" * 40_000, "![x](" * 40_000),
        # long lines where everything closes
        ("**a** " * 40_000, ("a " * 40_000).strip()),
        ("[t](u) " * 30_000, ("t " * 30_000).strip()),
    ],
    ids=lambda v: v[:30] if isinstance(v, str) else v,
)
def test_markdown_inline_rows(md: str, expected: str) -> None:
    assert markdown_to_text(md)[0] == expected


def test_pathological_markdown_of_200_kb_converts() -> None:
    md = "\n".join([_UNIT * 1_000] * 9)  # 9 lines of 22,000 characters: ~200 KB
    text, heading = markdown_to_text(md)
    assert heading is None
    assert text.splitlines() == [(_UNIT * 1_000).strip()] * 9


# --------------------------------------------------------------------------- cutting a long text


@settings(max_examples=300)
@given(
    st.text(alphabet=st.sampled_from(list("ab. \n!?\u201d")), max_size=600),
    st.integers(min_value=1, max_value=80),
)
def test_chunk_bounds_concatenate_and_respect_the_size(text: str, size: int) -> None:
    bounds = chunk_bounds(text, size)
    assert "".join(text[s:e] for s, e in bounds) == text
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:], strict=False))
    assert all(0 < e - s <= size for s, e in bounds) or text == ""


def test_chunk_bounds_prefer_paragraph_breaks() -> None:
    text = _text(40)
    bounds = chunk_bounds(text, 2_000)
    assert len(bounds) > 3
    for _, end in bounds[:-1]:
        assert text[end - 2 : end] == "\n\n"  # every piece ends a paragraph


def test_short_text_is_one_piece() -> None:
    assert chunk_bounds("One short text.", 100) == [(0, 15)]


# --------------------------------------------------------------------------- chunked parse = single parse


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def medium() -> str:
    return _text(60)  # ~12,000 characters


def _away_from(records, cuts: list[int], margin: int = 300) -> set:
    def span_of(r):
        for name in ("content", "span", "trigger"):
            if hasattr(r, name):
                return getattr(r, name)
        return r  # a Span (sentences)

    return {r for r in records if all(abs(span_of(r).start - c) > margin and abs(span_of(r).end - c) > margin
                                      for c in cuts)}


def test_chunked_parse_keeps_the_text_and_its_offsets(nlp, medium: str) -> None:
    doc = parse_text(nlp, medium, chunk=2_500)
    assert doc.text == medium
    assert [t.idx for t in doc][:5] == [t.idx for t in nlp(medium)][:5]
    for token in doc:
        assert medium[token.idx : token.idx + len(token)] == token.text
    assert list(doc.sents) and all(medium[s.start_char : s.end_char] == s.text for s in doc.sents)


@pytest.mark.parametrize("field", ["quotes", "figures", "dates", "events", "mentions", "sentences"])
def test_chunked_parse_gives_the_same_extraction(nlp, medium: str, field: str) -> None:
    cuts = [end for _, end in chunk_bounds(medium, 2_500)[:-1]]
    single = extract_doc(nlp(medium), "a", "2025-03-06")
    chunked = extract_doc(parse_text(nlp, medium, chunk=2_500), "a", "2025-03-06")
    a, b = getattr(single, field), getattr(chunked, field)
    assert a  # the text has some of each
    # the parser sees less context at a cut: the records away from the cuts are the same, and few differ
    assert _away_from(a, cuts) == _away_from(b, cuts)
    assert abs(len(a) - len(b)) <= len(cuts)


def test_short_text_parse_is_the_plain_parse(nlp) -> None:
    text = _text(3)
    assert extract_doc(parse_text(nlp, text), "a", None) == extract_doc(nlp(text), "a", None)


# --------------------------------------------------------------------------- analyze: limits and budget


def _write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_too_long_article_is_refused_and_the_others_are_stored(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "MAX_ARTICLE_CHARS", 5_000)
    inputs = [
        _write(tmp_path, "first.txt", _text(5)),
        _write(tmp_path, "long.txt", _text(40)),
        _write(tmp_path, "last.txt", _text(7)),
    ]
    with Store(tmp_path / "s.db") as store:
        result = analyze(inputs, store, workers=1, dossier=False)
        assert len(result.article_ids) == 2 and result.status == "partial"
        [failure] = result.failures
        assert failure.kind == "InputTooLarge" and failure.source.endswith("long.txt")
        assert "characters of text, more than the 5,000 parsed" in failure.reason
        assert len(failure.message.splitlines()) == 1
        assert all(store.has_extraction(a, pipeline.pipeline_signature()) for a in result.article_ids)


def test_raw_text_far_over_the_limit_is_refused_before_cleaning(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "MAX_ARTICLE_CHARS", 1_000)
    monkeypatch.setattr(pipeline, "clean_article", lambda a: pytest.fail("cleaned"))
    with Store(tmp_path / "s.db") as store:
        result = analyze([_write(tmp_path, "long.txt", _text(20))], store, workers=1, dossier=False)
    [failure] = result.failures
    assert "before cleaning, more than twice the 1,000 parsed" in failure.reason


SLOW = "The slow article about the Tesk ferry."


def _slow_extract(doc, article_id, published, stages=pipeline.STAGES) -> Extraction:
    if SLOW in doc.text:
        time.sleep(5)
    return Extraction(article_id=article_id, words=len(doc))


@pytest.mark.parametrize("workers", [1, 2])
def test_slow_article_is_skipped_over_the_budget_and_the_batch_goes_on(monkeypatch, workers: int) -> None:
    monkeypatch.setattr(pipeline, "extract_doc", _slow_extract)
    texts = [_text(2), SLOW + " " + _text(1), _text(3), _text(4)]
    tasks = [(f"id{i}", t, None) for i, t in enumerate(texts)]
    out = list(run_batches(iter(tasks), workers=workers, time_budget=0.5))
    assert [task[0] for task, _ in out] == ["id0", "id1", "id2", "id3"]
    outcomes = [o for _, o in out]
    assert outcomes[1] == Skipped("InputTooLarge", "over the 0.5 s time budget for parsing and extraction")
    assert all(isinstance(o, Extraction) for k, o in enumerate(outcomes) if k != 1)


def test_budget_through_analyze_records_one_failure(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "extract_doc", _slow_extract)
    inputs = [_write(tmp_path, "a.txt", _text(3)), _write(tmp_path, "slow.txt", SLOW + " " + _text(2))]
    with Store(tmp_path / "s.db") as store:
        result = analyze(inputs, store, workers=1, dossier=False, time_budget=0.5)
    [failure] = result.failures
    assert failure.source.endswith("slow.txt") and "over the 0.5 s time budget" in failure.reason
    assert len(result.article_ids) == 1


def test_no_budget_outside_the_main_thread(monkeypatch) -> None:
    import threading

    monkeypatch.setattr(pipeline, "extract_doc", lambda doc, a, p, stages=(): Extraction(article_id=a))
    seen: list = []
    thread = threading.Thread(
        target=lambda: seen.extend(run_batches(iter([("id0", _text(1), None)]), time_budget=0.01))
    )
    thread.start()
    thread.join()
    assert isinstance(seen[0][1], Extraction)


def test_a_failing_stage_is_one_failure(monkeypatch) -> None:
    def broken(doc, article_id, published, stages=()):
        raise ValueError("boom")

    monkeypatch.setattr(pipeline, "extract_doc", broken)
    [(_, outcome)] = list(run_batches(iter([("id0", _text(1), None)])))
    assert outcome == Skipped("ExtractionError", "extraction failed (ValueError: boom)")


# --------------------------------------------------------------------------- bounded batches


@settings(max_examples=200)
@given(
    st.lists(st.integers(min_value=0, max_value=50), max_size=40),
    st.integers(min_value=1, max_value=6),
    st.integers(min_value=1, max_value=120),
)
def test_batches_are_bounded_by_count_and_characters(lengths: list[int], size: int, chars: int) -> None:
    tasks = [(f"id{i}", "x" * n, None) for i, n in enumerate(lengths)]
    batches = list(pipeline._batches(iter(tasks), size, chars))
    assert [t for b in batches for t in b] == tasks
    for batch in batches:
        assert 1 <= len(batch) <= size
        assert sum(len(t[1]) for t in batch) <= chars or len(batch) == 1


@pytest.mark.parametrize("workers", [1, 2])
def test_tasks_are_pulled_only_as_batches_are_sent(monkeypatch, workers: int) -> None:
    monkeypatch.setattr(pipeline, "extract_doc", lambda doc, a, p, stages=(): Extraction(article_id=a))
    pulled = 0

    def tasks():
        nonlocal pulled
        for i in range(30):
            pulled += 1
            yield (f"id{i}", f"Sentence number {i}.", None)

    done = 0
    for _task, outcome in run_batches(tasks(), workers=workers, batch_size=2, batch_chars=1_000):
        assert isinstance(outcome, Extraction)
        done += 1
        assert pulled - done <= (2 * workers + 1) * 2  # held in flight: 2 batches a worker + the one filling
    assert done == 30


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("Short text.", 100_000),
        ("The council met on Tuesday and voted to close the pier. " * 3_000, 100_000),  # prose: 0.2 a char
        ("*a _b [c d " * 20_000, 45_833),  # punctuation and one-letter words: 0.55 tokens a character
    ],
)
def test_pieces_are_bounded_in_tokens_as_well_as_characters(text: str, size: int) -> None:
    from storyline.pipeline import piece_size

    assert abs(piece_size(text) - size) <= size // 50
