"""ECB+ parts of bench/crossdoc.py: storyline's claims as cross-document event coreference, the same-head-lemma
and all-singleton baselines, sentence-pair scores with an embedding-cosine baseline, fragmentation of gold
chains, and story clustering of mixed sub-topics.  See bench/crossdoc.py for the definitions."""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import coref_metrics as cm
from ecbplus import Doc, Mention, scored_actions


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- the pipeline's claims


@dataclass(frozen=True)
class SysClaim:
    id: str
    independent: int
    sources: int
    members: tuple[tuple[str, int, int], ...]  # (doc id, start, end) in Doc.text

    @property
    def corroborated(self) -> bool:
        return self.independent >= 2


def analyse_folder(folder: Path, db: Path, *, embeddings: bool) -> dict:
    """The dossier of one folder analysed as one story, as ``storyline analyze`` builds it."""
    from storyline.pipeline import analyze
    from storyline.store import Store

    with Store(db) as store:
        result = analyze([str(folder)], store, embeddings=embeddings)
    return result.dossier or {}


def source_offsets(dossier: dict, texts: dict[str, str]) -> dict[str, tuple[str, int]]:
    """Dossier source id -> (our doc id, offset of the source's text in our document)."""
    where: dict[str, tuple[str, int]] = {}
    for source in dossier.get("sources", []):
        doc_id = Path(source.get("origin") or "").stem
        offset = texts[doc_id].find(source["text"]) if doc_id in texts else -1
        if offset >= 0:
            where[source["id"]] = (doc_id, offset)
    return where


def dossier_claims(dossier: dict, texts: dict[str, str]) -> tuple[list[SysClaim], set[str]]:
    """The dossier's claims with member spans moved onto our documents, and the doc ids it analysed."""
    where = source_offsets(dossier, texts)
    claims = []
    for c in dossier.get("claims", []):
        members = tuple(
            (where[x["source"]][0], where[x["source"]][1] + x["start"], where[x["source"]][1] + x["end"])
            for x in c.get("citations", [])
            if x["source"] in where
        )
        claims.append(SysClaim(c["id"], int(c.get("independent") or 0), len(set(c.get("sources", []))), members))
    return claims, {d for d, _ in where.values()}


def dossier_chains(dossier: dict, texts: dict[str, str]) -> list[SysClaim]:
    """The dossier's event chains, members being the event words' spans moved onto our documents."""
    where = source_offsets(dossier, texts)
    chains = []
    for c in dossier.get("event_chains", []):
        members = tuple(
            (where[t["source"]][0], where[t["source"]][1] + t["start"], where[t["source"]][1] + t["end"])
            for t in (m["trigger"] for m in c.get("mentions", []))
            if t["source"] in where
        )
        chains.append(SysClaim(c["id"], int(c.get("independent") or 0), len(set(c.get("sources", []))), members))
    return chains


def chain_labels(keys: Sequence[int], mentions: Sequence[Mention], chains: list[SysClaim], topic: int) -> dict:
    """Mention key -> event chain label: the chain one of whose event words lies inside the mention (several:
    the largest); a mention holding no chained event word is its own singleton."""
    index: dict[str, list[tuple[int, int, SysClaim]]] = defaultdict(list)
    for c in chains:
        for doc, s, e in c.members:
            index[doc].append((s, e, c))
    out = {}
    for k, m in zip(keys, mentions, strict=True):
        hits = [c for s, e, c in index.get(m.doc, []) if m.start <= s and e <= m.end]
        best = max(hits, key=lambda c: (len(c.members), c.id)) if hits else None
        out[k] = f"{topic}|{best.id}" if best else f"single:{k}"
    return out


def safe_analyse(folder: Path, db: Path, *, embeddings: bool) -> tuple[dict, str | None]:
    """analyse_folder that reports a crash of the pipeline instead of raising: (dossier or {}, error)."""
    try:
        return analyse_folder(folder, db, embeddings=embeddings), None
    except Exception as exc:  # noqa: BLE001 - one failing story must not stop the benchmark
        error = f"{exc.__class__.__name__}: {exc}"
        log(f"  pipeline failed on {folder.name}: {error}")
        return {}, error


def run_topic(docs: Sequence[Doc], *, embeddings: bool
              ) -> tuple[list[SysClaim], list[SysClaim], set[str], float, str | None]:
    """Write a topic's documents as .txt files, analyse them as one story;
    (claims, event chains, analysed doc ids, seconds, pipeline error or None)."""
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="crossdoc-ecb-") as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for doc in docs:
            (folder / f"{doc.id}.txt").write_text(doc.text + "\n", encoding="utf-8")
        dossier, error = safe_analyse(folder, Path(tmp) / "store.db", embeddings=embeddings)
    texts = {d.id: d.text for d in docs}
    claims, analysed = dossier_claims(dossier, texts)
    return claims, dossier_chains(dossier, texts), analysed, time.perf_counter() - t0, error


# --------------------------------------------------------------------------- mention clusterings


def claim_of(m: Mention, index: dict[str, list[tuple[int, int, SysClaim]]]) -> SysClaim | None:
    """The multi-member claim whose cited span contains the mention (most sources first), else None."""
    hits = [c for s, e, c in index.get(m.doc, []) if s <= m.start and m.end <= e]
    return max(hits, key=lambda c: (c.sources, len(c.members), c.id)) if hits else None


def claim_index(claims: Iterable[SysClaim], min_members: int = 2) -> dict[str, list[tuple[int, int, SysClaim]]]:
    index: dict[str, list[tuple[int, int, SysClaim]]] = defaultdict(list)
    for c in claims:
        if len(c.members) >= min_members:
            for doc, s, e in c.members:
                index[doc].append((s, e, c))
    return index


def system_labels(keys: Sequence[int], mentions: Sequence[Mention], claims: list[SysClaim], topic: int) -> dict:
    """Mention key -> claim label; a mention in no multi-member claim is its own singleton."""
    index = claim_index(claims)
    out = {}
    for k, m in zip(keys, mentions, strict=True):
        c = claim_of(m, index)
        out[k] = f"{topic}|{c.id}" if c else f"single:{k}"
    return out


def mention_status(mentions: Sequence[Mention], claims: list[SysClaim], analysed: set[str]) -> Counter:
    """Why mentions end up where they are: in a multi-member claim, a one-member claim, no claim, no article."""
    multi, single = claim_index(claims), claim_index(claims, 1)
    status: Counter[str] = Counter()
    for m in mentions:
        if m.doc not in analysed:
            status["article_not_analysed"] += 1
        elif claim_of(m, multi):
            status["in_multi_source_claim"] += 1
        elif claim_of(m, single):
            status["in_one_member_claim"] += 1
        else:
            status["in_no_claim"] += 1
    return status


def head_lemmas(docs: Sequence[Doc], nlp) -> dict[tuple[str, int, int], str]:  # noqa: ANN001 - a spaCy Language
    """Lemma of the syntactic head of every ACTION mention, by (doc, start, end)."""
    out = {}
    for doc, parsed in zip(docs, nlp.pipe([d.text for d in docs]), strict=True):
        for m in doc.mentions:
            if m.kind != "ACTION":
                continue
            span = parsed.char_span(m.start, m.end, alignment_mode="expand")
            out[(m.doc, m.start, m.end)] = (span.root.lemma_ if span is not None else m.head).lower()
    return out


def lemma_labels(keys: Sequence[int], mentions: Sequence[Mention], lemmas: dict, topic: int) -> dict:
    return {k: f"{topic}|lemma:{lemmas[(m.doc, m.start, m.end)]}" for k, m in zip(keys, mentions, strict=True)}


# --------------------------------------------------------------------------- sentence pairs


@dataclass(frozen=True)
class Sentence:
    doc: str
    number: int
    start: int
    end: int
    text: str
    chains: frozenset[str]  # gold ACTION chains of its scored mentions


def scored_sentences(docs: Sequence[Doc]) -> list[Sentence]:
    """The sentences whose annotation is complete, with the gold ACTION chains in them."""
    chains: dict[tuple[str, int], set[str]] = defaultdict(set)
    for m in scored_actions(docs):
        chains[(m.doc, m.sentence)].add(m.chain)
    return [
        Sentence(d.id, n, s, e, d.text[s:e], frozenset(chains[(d.id, n)]))
        for d in docs
        for n, s, e, ok in d.sentences
        if ok
    ]


def sentence_claims(sentences: Sequence[Sentence], claims: list[SysClaim]) -> list[frozenset[str]]:
    """For each sentence, the multi-member claims one of whose cited spans overlaps it."""
    index = claim_index(claims)
    return [frozenset(c.id for s, e, c in index.get(x.doc, []) if s < x.end and x.start < e) for x in sentences]


def cross_pairs(sentences: Sequence[Sentence]) -> Iterable[tuple[int, int]]:
    for i in range(len(sentences)):
        for j in range(i + 1, len(sentences)):
            if sentences[i].doc != sentences[j].doc:
                yield i, j


def sentence_pair_counts(sentences: Sequence[Sentence], claims: list[SysClaim]) -> Counter:
    """Gold / system / true positive counts over cross-article sentence pairs."""
    in_claims = sentence_claims(sentences, claims)
    counts: Counter[str] = Counter()
    for i, j in cross_pairs(sentences):
        gold = bool(sentences[i].chains & sentences[j].chains)
        system = bool(in_claims[i] & in_claims[j])
        counts["pairs"] += 1
        counts["gold"] += gold
        counts["system"] += system
        counts["true"] += gold and system
    return counts


def cosine_pairs(sentences: Sequence[Sentence], embedder) -> list[tuple[float, bool]]:  # noqa: ANN001
    """(cosine, gold positive) for every cross-article sentence pair."""
    import numpy as np

    if len(sentences) < 2:
        return []
    vecs = np.asarray(embedder.encode([s.text for s in sentences]), dtype=np.float32)
    vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
    sim = vecs @ vecs.T
    return [(float(sim[i, j]), bool(sentences[i].chains & sentences[j].chains)) for i, j in cross_pairs(sentences)]


def sweep(pairs: list[tuple[float, bool]]) -> list[tuple[float, float, float, float]]:
    """(cutoff, precision, recall, F1) for every cutoff that admits one more pair (cosine >= cutoff)."""
    ranked = sorted(pairs, key=lambda p: -p[0])
    gold = sum(g for _, g in ranked)
    out, true = [], 0
    for n, (cos, g) in enumerate(ranked, 1):
        true += g
        if n < len(ranked) and ranked[n][0] == cos:
            continue
        p, r = true / n, (true / gold if gold else 0.0)
        out.append((cos, p, r, cm.f1(p, r)))
    return out


def at_cutoff(pairs: list[tuple[float, bool]], cutoff: float) -> cm.PRF:
    system = [g for c, g in pairs if c >= cutoff]
    gold = sum(g for _, g in pairs)
    return cm.pairwise_from_counts({"true": sum(system), "system": len(system), "gold": gold})


def cutoff_for_precision(pairs: list[tuple[float, bool]], precision: float) -> float | None:
    """The lowest cutoff whose precision still reaches ``precision`` (the most recall at that precision)."""
    ok = [cut for cut, p, _r, _f in sweep(pairs) if p >= precision]
    return min(ok) if ok else None


def best_f1_cutoff(pairs: list[tuple[float, bool]]) -> float | None:
    rows = sweep(pairs)
    return max(rows, key=lambda r: (r[3], r[0]))[0] if rows else None


# --------------------------------------------------------------------------- fragmentation


def fragmentation(gold: dict, system: dict, doc_of: dict, corroborated: set[str]) -> dict[str, float]:
    """Over gold chains with mentions in 2+ documents: mean distinct system clusters per chain, and the share
    that comes out as exactly one claim marked corroborated (independent sources >= 2)."""
    members: dict[str, list] = defaultdict(list)
    for k, chain in gold.items():
        members[chain].append(k)
    spread = [ks for ks in members.values() if len({doc_of[k] for k in ks}) >= 2]
    if not spread:
        return {"chains": 0}
    parts = [len({system[k] for k in ks}) for ks in spread]
    whole = [len({system[k] for k in ks}) == 1 and system[ks[0]] in corroborated for ks in spread]
    return {
        "chains": len(spread),
        "mean_claims_per_chain": sum(parts) / len(parts),
        "mean_chain_mentions": sum(len(ks) for ks in spread) / len(spread),
        "one_corroborated_claim_share": sum(whole) / len(whole),
    }


# --------------------------------------------------------------------------- story clustering


def clustering_scores(docs: Sequence[Doc], embedder=None) -> dict[str, float]:  # noqa: ANN001
    """B-cubed of storyline's story clustering of all ``docs`` against their sub-topics, and the mean B-cubed F1
    when each topic's two sub-topics are clustered on their own."""
    from storyline.crosscheck.cluster import bcubed, cluster_articles

    def score(group: Sequence[Doc]) -> tuple[float, float, float, int]:
        clusters = cluster_articles([(d.id, d.text) for d in group], embeddings=embedder is not None,
                                    embedder=embedder)
        pred = {aid: c.id for c in clusters for aid in c.article_ids}
        p, r, f = bcubed([d.subtopic for d in group], [pred[d.id] for d in group])
        return p, r, f, len(clusters)

    p, r, f, n = score(docs)
    topics = sorted({d.topic for d in docs})
    per_topic = [score([d for d in docs if d.topic == t])[2] for t in topics]
    return {
        "bcubed_precision": p,
        "bcubed_recall": r,
        "bcubed_f1": f,
        "clusters": n,
        "gold_subtopics": len({d.subtopic for d in docs}),
        "per_topic_mean_bcubed_f1": sum(per_topic) / len(per_topic) if per_topic else 0.0,
    }
