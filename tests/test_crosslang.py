"""Sources in different languages: which pairs use vectors, the notes, the candidates and
scores from vectors, and (with the multilingual extra) the whole pipeline on a mixed
folder: links, confidence, kinds and groups, highlights, the JSON, the cache."""

from __future__ import annotations

import json

import numpy as np
import pytest

from reader.core.alignment import crosslang, encoders
from reader.core.alignment.encoders import INSTALL_HINT, EncoderUnavailable
from reader.core.alignment.links import STRICTNESS
from reader.core.alignment.navigation import differing_words
from reader.core.alignment.pipeline import align, align_sources
from reader.core.alignment.report import summary, to_json
from reader.core.alignment.spans import word_matches
from reader.core.alignment.vector_cache import VectorCache
from reader.core.text.segment import Source, segment

needs_extra = pytest.mark.skipif(
    not encoders.available(), reason=f"multilingual extra not installed ({INSTALL_HINT})"
)

# One story in English (twice, reworded and reordered) and German (written for these tests).
EN = (
    "The city council approved the new bridge on Tuesday evening.\n"
    "Construction will start in March and should take two years.\n"
    "The bridge will cost 48 million euros, paid mostly by the region.\n"
    "Residents of the old town had protested against the project for months.\n"
    "The mayor said the new crossing would end the daily traffic jams.\n"
    "A local cycling club welcomed the separate bike lane.\n"
)
EN2 = (
    "On Tuesday evening, councillors voted for the new bridge.\n"
    "Work begins in March and is expected to last two years.\n"
    "Residents of the old town had protested against the plan for months.\n"
    "The bridge costs 48 million euros, most of it paid by the region.\n"
    "According to the mayor, the crossing will end daily traffic jams.\n"
)
DE = (
    "Der Stadtrat hat am Dienstagabend die neue Brücke genehmigt.\n"
    "Die Bauarbeiten beginnen im März und sollen zwei Jahre dauern.\n"
    "Die Brücke kostet 45 Millionen Euro, die größtenteils von der Region bezahlt werden.\n"
    "Anwohner der Altstadt hatten monatelang gegen das Projekt protestiert.\n"
    "Der Bürgermeister sagte, der neue Übergang werde die täglichen Staus beenden.\n"
    "Ein örtlicher Radsportverein begrüßte den getrennten Radweg.\n"
)
# sentence k of EN is sentence TRUE_DE[k] of DE
TRUE_DE = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5}


def _source(name: str, lang: str | None, n: int = 3) -> Source:
    text = " ".join(f"Sentence {k}." for k in range(n))
    return Source(name, text, [(12 * k, 12 * k + 11) for k in range(n)], lang=lang)


# -- which pairs, and what the reader is told --------------------------------------------


def test_one_language_needs_no_encoder():
    def load():
        raise AssertionError("the encoder must not be loaded")

    plan = crosslang.plan([_source("a", "en"), _source("b", "en"), _source("c", None)], load=load)
    assert plan.pairs == [] and plan.sources == [] and plan.notes == []


def test_missing_extra_is_one_line_naming_the_sources_and_the_command():
    def load():
        raise EncoderUnavailable()

    sources = [_source("a[red].txt", "en"), _source("b.txt", "de"), _source("c.txt", "en")]
    plan = crosslang.plan(sources, load=load)
    assert plan.pairs == [(0, 1), (1, 2)] and plan.encoder is None and plan.sources == []
    (note,) = plan.notes
    assert "\n" not in note
    assert "de: b.txt" in note and "en: a[red].txt, c.txt" in note
    assert INSTALL_HINT in note


def test_languages_the_encoder_lacks_are_named_and_not_encoded():
    def load():
        raise AssertionError("no pair the encoder covers: it must not be loaded")

    plan = crosslang.plan([_source("en.txt", "en"), _source("si.txt", "si")], load=load)
    assert plan.pairs == [(0, 1)] and plan.by_vectors == [] and plan.sources == []
    (note,) = plan.notes
    assert "si" in note and "si.txt" in note and "names and numbers" in note


def test_unknown_language_is_said_when_languages_differ():
    class Fake:
        languages = frozenset({"en", "de"})

    plan = crosslang.plan(
        [_source("a", "en"), _source("b", "de"), _source("mix.txt", None)], encoder=Fake()
    )
    assert plan.by_vectors == [(0, 1)] and plan.sources == [0, 1]
    assert any("mix.txt" in n and "not recognised" in n for n in plan.notes)


# -- candidates and scores from vectors --------------------------------------------------


def _unit(rng, n, d=16):
    v = rng.normal(size=(n, d)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.mark.parametrize("block_cells", [7, 50, 1 << 24])
def test_nearest_matches_brute_force(monkeypatch, block_cells):
    monkeypatch.setattr(crosslang, "_BLOCK_CELLS", block_cells)
    rng = np.random.default_rng(1)
    va, vb = _unit(rng, 23), _unit(rng, 17)
    i, j, knn_a, knn_b = crosslang.nearest(va, vb, top_k=3, knn=4)
    s = va @ vb.T
    want = {(x, int(y)) for x in range(23) for y in np.argsort(-s[x])[:3]}
    want |= {(int(x), y) for y in range(17) for x in np.argsort(-s[:, y])[:3]}
    assert set(zip(i.tolist(), j.tolist())) == want
    assert np.allclose(knn_a, np.sort(s, 1)[:, -4:].mean(1), atol=1e-6)
    assert np.allclose(knn_b, np.sort(s, 0)[-4:].mean(0), atol=1e-6)


def test_nearest_on_tiny_and_empty_sources():
    rng = np.random.default_rng(2)
    i, j, ka, kb = crosslang.nearest(_unit(rng, 2), _unit(rng, 1), top_k=6, knn=4)
    assert set(zip(i.tolist(), j.tolist())) == {(0, 0), (1, 0)} and len(ka) == 2
    i, j, ka, kb = crosslang.nearest(_unit(rng, 0), _unit(rng, 3), top_k=6, knn=4)
    assert len(i) == 0 and len(ka) == 0 and len(kb) == 3


def test_scorer_margin_words_and_merge_gain():
    rng = np.random.default_rng(3)
    va, vb = _unit(rng, 4), _unit(rng, 3)
    # sentence 0 of b says what sentences 1 and 2 of a say together
    both = va[1] + va[2]
    vb[0] = both / np.linalg.norm(both)
    knn_a, knn_b = np.full(4, 0.2, np.float32), np.full(3, 0.4, np.float32)
    names = [frozenset({"12", "berlin"}), frozenset(), frozenset({"12"}), frozenset()]
    scorer = crosslang.VectorScorer(
        va,
        vb,
        knn_a,
        knn_b,
        names,
        [frozenset({"12", "berlin"}), frozenset(), frozenset()],
        np.zeros(4, bool),
        np.array([False, False, True]),
    )
    c = scorer.candidates(np.array([0, 1, 1, 3]), np.array([0, 0, 0, 2]))
    assert c.i.tolist() == [0, 1] and c.j.tolist() == [0, 0]  # duplicates, boilerplate out
    assert np.allclose(c.base, c.sim / 0.3) and c.words.tolist() == [2.0, 0.0]
    assert scorer.merge_gain(0, [1, 2], 2, 0) > 0.2
    assert scorer.merge_gain(0, [1, 3], 3, 0) < scorer.merge_gain(0, [1, 2], 2, 0)


# -- the whole pipeline with the encoder --------------------------------------------------


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    if not encoders.available():
        pytest.skip(f"multilingual extra not installed ({INSTALL_HINT})")
    from reader.core.text.load import documents_from_texts

    docs = documents_from_texts({"de.txt": DE, "en.txt": EN, "en2.txt": EN2})
    cache = VectorCache(tmp_path_factory.mktemp("vectors") / "v.sqlite3")
    yield align(docs, cache=cache), cache
    cache.close()


@needs_extra
def test_mixed_folder_links_translations(mixed):
    al, _ = mixed
    assert [s.lang for s in al.sources] == ["de", "en", "en"]
    de_en = {(x.a[1], x.b[1]) for x in al.counterpart_links if (x.a[0], x.b[0]) == (0, 1)}
    assert de_en == set(TRUE_DE.items())
    # every German sentence is in a group with its English counterparts in both files
    groups = [{s for s, _ in g} for g in al.groups]
    assert sum(g == {0, 1, 2} for g in groups) >= 4
    for g in al.groups:  # consistent: one sentence per source (no split here)
        assert len({s for s, _ in g}) == len(g)


@needs_extra
def test_mixed_folder_confidence_strictness_and_json(mixed):
    al, _ = mixed
    assert all(0.0 <= x.confidence <= 1.0 and 0.0 <= x.score <= 1.0 for x in al.links)
    strict, normal, loose = (al.at(level) for level in STRICTNESS)
    key = lambda a: {(x.a, x.b) for x in a.counterpart_links}  # noqa: E731
    assert key(strict) <= key(normal) <= key(loose)
    out = json.loads(json.dumps(to_json(al)))
    assert [s["lang"] for s in out["sources"]] == ["de", "en", "en"]
    text = summary(al)
    assert "de.txt   de" in text and "en2.txt  en" in text


@needs_extra
def test_highlights_across_languages_are_names_and_numbers_only(mixed):
    al, _ = mixed
    de, en = al.sources[0], al.sources[1]
    # "45 Millionen Euro ... Region" / "48 million euros ... region": no word matches, and
    # the one differing mark on each side is the number
    here, there = word_matches(de, 2, en, 2)
    assert here == [] and there == []
    mine, theirs = differing_words(de, 2, en, 2)
    assert [de.text[s:e] for s, e in mine] == ["45"] and [en.text[s:e] for s, e in theirs] == ["48"]
    # no numbers on one side: nothing is marked at all
    assert differing_words(de, 0, en, 0) == ([], [])
    # within one language the word diff is as before
    _, theirs = differing_words(en, 2, al.sources[2], 3)
    assert theirs
    out = to_json(al)
    for link in out["links"]:
        if {link["a"][0], link["b"][0]} == {0, 1}:
            texts = [de.text[s:e] for s, e in link["spans"]["a"]]
            assert all(t[0].isdigit() or t[0].isupper() for t in texts)


@needs_extra
def test_names_and_numbers_are_the_matched_words():
    a = Source("a", "Yesterday Putin called Biden at 9 pm about Ukraine.", [(0, 51)], lang="en")
    b = Source("b", "Gestern rief Putin um 9 Uhr Biden wegen der Ukraine an.", [(0, 55)], lang="de")
    here, there = word_matches(a, 0, b, 0)
    assert [a.text[s:e] for s, e in here] == ["Putin", "Biden", "9", "Ukraine"]
    assert [b.text[s:e] for s, e in there] == ["Putin", "9", "Biden", "Ukraine"]


@needs_extra
def test_second_open_encodes_nothing(tmp_path):
    from reader.core.text.load import documents_from_texts

    enc = encoders.default_encoder()

    class Counting:
        name, dim, languages = enc.name, enc.dim, enc.languages
        encoded = 0

        def encode(self, texts):
            Counting.encoded += len(texts)
            return enc.encode(texts)

    docs = documents_from_texts({"de.txt": DE, "en.txt": EN})
    with VectorCache(tmp_path / "v.sqlite3") as cache:
        first = align(docs, encoder=Counting(), cache=cache)
        assert Counting.encoded == 12
        again = align(docs, encoder=Counting(), cache=cache)
        assert Counting.encoded == 12
        edited = documents_from_texts(
            {"de.txt": DE.replace("zwei Jahre", "drei Jahre"), "en.txt": EN}
        )
        align(edited, encoder=Counting(), cache=cache)
        assert Counting.encoded == 13  # the edited sentence alone
    assert [(x.a, x.b, x.confidence) for x in first.links] == [
        (x.a, x.b, x.confidence) for x in again.links
    ]


@needs_extra
def test_corrupt_cache_file_is_rebuilt_and_said(tmp_path):
    from reader.core.text.load import documents_from_texts

    path = tmp_path / "v.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with VectorCache(path) as cache:
        al = align(documents_from_texts({"de.txt": DE, "en.txt": EN}), cache=cache)
    assert {(x.a[1], x.b[1]) for x in al.counterpart_links} >= {(0, 0), (1, 1), (2, 2)}
    assert any("vector cache" in n and "\n" not in n for n in al.notes)
    assert list(tmp_path.glob("v.sqlite3.corrupt*"))


@needs_extra
def test_stopping_while_encoding_keeps_what_was_encoded(tmp_path):
    """The app's progress callback raises when Esc cancels the worker: the alignment
    stops at the next report (after each batch of sentences), and what was encoded is
    in the cache for the next open."""
    from reader.core.text.load import documents_from_texts

    sources = segment(documents_from_texts({"de.txt": DE, "en.txt": EN}))
    seen = []

    class Stop(Exception):
        pass

    def progress(text, fraction):
        seen.append(text)
        if text.startswith("encoding sentences of en.txt"):
            raise Stop

    with VectorCache(tmp_path / "v.sqlite3") as cache:
        with pytest.raises(Stop):
            align_sources(sources, progress=progress, cache=cache)
        enc = encoders.default_encoder()
        _, found_de = cache.get(enc.name, enc.dim, [sources[0].sentence(i) for i in range(6)])
        _, found_en = cache.get(enc.name, enc.dim, [sources[1].sentence(i) for i in range(6)])
    assert any(t.startswith("encoding sentences of de.txt") for t in seen)
    assert found_de.all() and not found_en.any()
