"""Counterparts a reader can trust: one constructed case per rule of the precision-first
alignment (hub headlines, page furniture, repeated sentences at the ends of parallel
texts, splits that must survive, chains that must break), the strictness levels, the
"why" explanation, and their command-line forms."""

from __future__ import annotations

import json

import pytest

from reader.core.alignment.explain import explain
from reader.core.alignment.links import BY_GROUP, COUNTERPART, RELATED
from reader.core.alignment.pipeline import align
from reader.core.alignment.refs import RefError, format_ref, parse_ref
from reader.core.text.load import documents_from_texts
from reader.core.text.roles import FURNITURE, HEADLINE, roles


def run(texts: dict[str, str], strictness: str | None = None):
    return align(documents_from_texts(texts), strictness=strictness)


def ref(al, name: str, needle: str) -> tuple[int, int]:
    s = next(k for k, src in enumerate(al.sources) if src.name == name)
    hits = [i for i in range(len(al.sources[s])) if needle in al.sources[s].sentence(i)]
    assert len(hits) == 1, (needle, hits)
    return s, hits[0]


def kind_of(al, x: tuple[int, int], y: tuple[int, int]) -> str | None:
    a, b = (x, y) if x[0] < y[0] else (y, x)
    for link in al.links:
        if (link.a, link.b) == (a, b):
            return link.kind
    return None


def counterpart_pairs(al) -> set:
    return {(x.a, x.b) for x in al.counterpart_links}


# -- page furniture and headlines -------------------------------------------------------------

STORM = {
    "a.txt": "World\n\nStorm Lanbo kills 14 in central Vietnam\n\nBy Linh Pham\n\nSunday, 15 October 2023\n\n"
    "Typhoon Lanbo slammed into the central coast of Vietnam early on Sunday, killing at least "
    "14 people and leaving nine missing. More than 210,000 people had been moved out of "
    "low-lying coastal areas before the storm hit. About 1.2 million households lost power "
    "across four provinces.\n\n(Photo: Reuters)\n\nRead also: Lanbo left three dead in the "
    "Philippines last week\n\nhttps://example.com/world/asia/lanbo-vietnam\n",
    "b.txt": "Asia\n\nTyphoon Lanbo leaves 14 dead in Vietnam\n\n2023-10-15 18:22 Source: Wire\n\n"
    "Authorities had evacuated over 210,000 residents from coastal areas in advance of the "
    "storm. The typhoon made landfall on the central coast of Vietnam on Sunday, killing at "
    "least 14 people, with nine still missing. Around 1.2 million households lost power "
    "in four provinces.\n\nImage: AFP / Minh Tran\n\nRelated reading\nTyphoon season in "
    "Vietnam: how to prepare\nVietnam tourism recovers in the first nine months\n",
    "c.txt": "Typhoon Lanbo: 14 dead in central Vietnam\n\nWritten by Staff | Published 15 October 2023\n\n"
    "At least 14 people were killed and nine are missing after Typhoon Lanbo hit the "
    "central coast of Vietnam on Sunday. Power was cut to about 1.2 million households in "
    "four provinces. Before the storm, more than 210,000 people were evacuated from coastal "
    "areas.\n\nPhoto: AFP / Minh Tran\n\nAlso read: Typhoon season in Vietnam: how to "
    "prepare\n",
}


def test_page_furniture_is_found_by_structure():
    al = run(STORM)
    src = al.sources[0]
    kinds = roles(src)
    by_text = {src.sentence(i): int(kinds[i]) for i in range(len(src))}
    assert by_text["Storm Lanbo kills 14 in central Vietnam"] == HEADLINE
    for furniture in (
        "World",
        "By Linh Pham",
        "Sunday, 15 October 2023",
        "(Photo: Reuters)",
        "https://example.com/world/asia/lanbo-vietnam",
    ):
        assert by_text[furniture] == FURNITURE, furniture
    b = al.sources[1]
    b_kinds = {b.sentence(i): int(k) for i, k in enumerate(roles(b))}
    for furniture in (
        "Image: AFP / Minh Tran",
        "Related reading",
        "Typhoon season in Vietnam: how to prepare",
    ):
        assert b_kinds[furniture] == FURNITURE, furniture


def test_a_long_line_without_its_full_stop_is_body_and_marked_lines_stay_furniture():
    """A paragraph that lost its final full stop is prose, not furniture; short lines and
    lines with a mark of furniture (a label and colon, a credit's slash, a web address, a
    separator, brackets) are furniture whatever their length."""
    from reader.core.text.segment import segment

    text = (
        "Typhoon Lanbo slammed into the coast on Sunday.\n\n"
        "More than 210,000 people had been moved out of low-lying coastal areas in four "
        "provinces before the storm hit the central coast of Vietnam\n\n"
        "(The storm, the fourth of the season to reach the country, had been downgraded twice "
        "on its way across the South China Sea before landfall.)\n\n"
        "Read also: Lanbo left three dead in the Philippines last week after a week of rain "
        "and floods over the northern provinces\n\n"
        "Rescue teams from the army and the Red Cross search the flooded villages near Hue "
        "AFP / Minh Tran\n\n"
        "Flooded villages near Hue\n\n"
        "(Photo: Reuters)\n\n"
        "The storm weakened as it moved inland. "
        + "Rain kept falling over the provinces of Quang Nam and Quang Ngai on Monday. " * 6
        + "\n"
    )
    (src,) = segment(documents_from_texts({"a.txt": text}))
    kinds = roles(src)

    def role(start: str) -> int:
        (i,) = [i for i in range(len(src)) if src.sentence(i).startswith(start)]
        return int(kinds[i])

    assert role("More than 210,000 people") == 0  # body
    assert role("(The storm, the fourth") == 0
    for furniture in ("Read also:", "Rescue teams", "Flooded villages", "(Photo: Reuters)"):
        assert role(furniture) == FURNITURE, furniture


def test_captions_teasers_and_link_lists_never_become_counterparts():
    al = run(STORM, "loose")
    for name, needle in (
        ("a.txt", "(Photo: Reuters)"),
        ("a.txt", "Read also"),
        ("a.txt", "https://"),
        ("b.txt", "Image: AFP"),
        ("b.txt", "Typhoon season in Vietnam"),
        ("c.txt", "Photo: AFP"),
        ("c.txt", "Also read"),
        ("a.txt", "Sunday, 15 October"),
        ("b.txt", "2023-10-15"),
    ):
        s, i = ref(al, name, needle)
        assert not al.counterparts(s, i) and not al.related(s, i), (name, needle)
        assert al.is_boilerplate(s, i)
    # the teaser names the same storm and the caption credits the same agency twice:
    # still nothing, whatever the words
    assert kind_of(al, ref(al, "b.txt", "Image: AFP"), ref(al, "c.txt", "Photo: AFP")) is None


def test_the_facts_link_and_headlines_link_only_to_headlines():
    al = run(STORM)
    for needle_a, name_b, needle_b in (
        ("slammed into", "b.txt", "made landfall"),
        ("210,000 people had been moved", "b.txt", "evacuated over"),
        ("1.2 million households lost", "c.txt", "Power was cut"),
    ):
        assert kind_of(al, ref(al, "a.txt", needle_a), ref(al, name_b, needle_b)) == COUNTERPART
    heads = {
        ref(al, "a.txt", "Storm Lanbo kills"),
        ref(al, "b.txt", "Typhoon Lanbo leaves"),
        ref(al, "c.txt", "Typhoon Lanbo: 14 dead"),
    }
    for x in heads:
        for c in al.counterparts(*x):
            assert (c.source, c.sentence) in heads, "a headline is counterpart of a body sentence"


# -- a hub: a lead that shares the story's names with every sentence ---------------------------

HUB_A = (
    "Prime Minister Henrik Aalund and President Dana Morozan spoke by telephone on Tuesday. "
    "Aalund said the Korva crossing would reopen for freight on 1 April. "
    "Morozan rejected a joint inspection of the Vessa dam. "
    "Both leaders agreed to set up a commission of experts.\n"
)
HUB_B = (
    "The Korva border crossing will reopen to freight traffic on 1 April, Aalund announced. "
    "Lesovia's president Morozan turned down the joint inspection of the dam on the Vessa. "
    "Aalund and Morozan agreed on a commission of experts. "
    "Prime Minister Henrik Aalund and President Dana Morozan talked by phone on Tuesday.\n"
)
HUB_C = (
    "Dana Morozan and Henrik Aalund held their first telephone call since the border closed. "
    "Freight will cross at Korva again from 1 April, said Aalund. "
    "A commission of experts is to look at the dam, the two leaders agreed. "
    "Morozan said no to a joint inspection of the Vessa dam.\n"
)


def test_a_lead_naming_everyone_links_to_its_counterparts_only():
    al = run({"a": HUB_A, "b": HUB_B, "c": HUB_C})
    lead_a, lead_b = ref(al, "a", "spoke by telephone"), ref(al, "b", "talked by phone")
    assert kind_of(al, lead_a, lead_b) == COUNTERPART
    for needle in ("Korva border crossing", "turned down", "agreed on a commission"):
        assert kind_of(al, lead_a, ref(al, "b", needle)) != COUNTERPART, needle
    assert (
        kind_of(al, ref(al, "a", "would reopen"), ref(al, "c", "Freight will cross")) == COUNTERPART
    )
    assert kind_of(al, ref(al, "a", "rejected a joint"), ref(al, "c", "said no to")) == COUNTERPART


# -- "Amen." at the ends of the books of parallel texts ------------------------------------------


def _book(variant: int, k: int) -> str:
    verbs = ("wrote", "sent", "gave", "told")
    return (
        " ".join(
            f"In chapter {k} verse {v} the elder {verbs[(k + v + variant) % 4]} word number {k * 100 + v} "
            f"to the church of city {k}{v}."
            for v in range(1, 12)
        )
        + " Amen."
    )


def test_a_repeated_amen_at_the_end_of_each_book_links_to_its_own_book():
    texts = {
        "x.txt": "\n\n".join(_book(0, k) for k in range(1, 6)) + "\n",
        "y.txt": "\n\n".join(_book(1, k) for k in range(1, 6)) + "\n",
    }
    al = run(texts)
    assert (0, 1) in al.parallel
    last_x, last_y = len(al.sources[0]) - 1, len(al.sources[1]) - 1
    assert al.locate(0, last_x, 1) == (last_y, True)
    assert al.locate(1, last_y, 0) == (last_x, True)
    # every "Amen." is the counterpart of the "Amen." of the same book, of no other
    amens_x = [i for i in range(len(al.sources[0])) if al.sources[0].sentence(i) == "Amen."]
    amens_y = [i for i in range(len(al.sources[1])) if al.sources[1].sentence(i) == "Amen."]
    assert len(amens_x) == len(amens_y) == 5
    for i, j in zip(amens_x, amens_y):
        assert [(c.source, c.sentence) for c in al.counterparts(0, i)] == [(1, j)]


# -- a split that must survive, a chain that must break --------------------------------------------

SPLIT_ONE = (
    "Kremlin aide Yuri Ushakov said the call gave a good basis for future talks, and that "
    "Putin responded immediately that new sanctions would be a colossal mistake.\n\n"
    "The two presidents spoke for fifty minutes on Thursday evening.\n"
)
SPLIT_TWO = (
    "The two presidents spoke for fifty minutes on Thursday evening.\n\n"
    "Kremlin aide Yuri Ushakov said the call gave a good basis for future talks.\n\n"
    "The White House did not comment on the Kremlin account of the call.\n\n"
    "Putin responded immediately that new sanctions would be a colossal mistake.\n"
)


def test_a_one_to_two_split_whose_halves_moved_apart_survives():
    al = run({"one": SPLIT_ONE, "two": SPLIT_TWO})
    merged = ref(al, "one", "good basis")
    first, second = ref(al, "two", "good basis"), ref(al, "two", "colossal")
    assert kind_of(al, merged, first) == COUNTERPART
    assert kind_of(al, merged, second) == COUNTERPART
    group = next(g for g in al.groups if merged in g)
    assert set(group) == {merged, first, second}


CHAIN = {
    "a": "Biden and Putin talk\n\nBiden and Putin talked about Ukraine on Thursday. "
    "Biden warned of sanctions against Russia.\n",
    "b": "Putin and Biden on the phone\n\nBiden warned Russia of sanctions over Ukraine. "
    "Putin said sanctions would be a mistake.\n",
    "c": "Putin warns Biden\n\nPutin told Biden that sanctions would be a big mistake. "
    "The leaders will meet again in January.\n",
    "d": "Phone call\n\nThe leaders plan to meet again in January in Geneva. "
    "Biden and Putin spoke about Ukraine for fifty minutes on Thursday.\n",
}


def test_groups_never_chain_different_sentences_of_one_source():
    for level in ("strict", "normal", "loose"):
        al = run(CHAIN, level)
        for g in al.groups:
            per_source: dict[int, list[int]] = {}
            for s, i in g:
                per_source.setdefault(s, []).append(i)
            assert all(len(xs) <= 2 for xs in per_source.values()), (level, g)
            assert len(g) <= 2 * len(al.sources)
        # "talked about Ukraine" and "warned of sanctions" are different facts of a:
        # no group holds both
        talk, warn = ref(al, "a", "talked about Ukraine"), ref(al, "a", "warned of sanctions")
        assert not any(talk in g and warn in g for g in al.groups), level


# -- strictness -------------------------------------------------------------------------------------


def test_strictness_levels_nest_and_switch_without_aligning_again(monkeypatch):
    al = run(STORM)
    import reader.core.alignment.pipeline as core_align

    def fail(*_a, **_k):
        raise AssertionError("aligned again")

    monkeypatch.setattr(core_align, "propose", fail)
    strict, normal, loose = al.at("strict"), al.at("normal"), al.at("loose")
    assert normal is al and strict.strictness == "strict" and loose.strictness == "loose"
    assert counterpart_pairs(strict) <= counterpart_pairs(normal) <= counterpart_pairs(loose)
    assert al.at("strict") is strict  # cached
    assert strict.at("normal") is al
    with pytest.raises(ValueError):
        al.at("sloppy")


def test_confidence_is_a_probability_and_kinds_are_known():
    al = run(STORM, "loose")
    assert al.links
    for link in al.links:
        assert 0.0 <= link.confidence <= 1.0
        assert link.kind in (COUNTERPART, RELATED)
        if link.kind == RELATED:
            assert (link.a, link.b) not in counterpart_pairs(al)
    for link in al.counterpart_links:
        if link.by != BY_GROUP:
            assert link.confidence >= al.pool.levels.bars["loose"]


# -- why -----------------------------------------------------------------------------------------


def test_explain_lists_counterparts_then_related_with_matched_words():
    al = run({"a": HUB_A, "b": HUB_B, "c": HUB_C}, "normal")
    s, i = ref(al, "a", "would reopen")
    reasons = explain(al, s, i)
    kinds = [r.kind for r in reasons]
    assert kinds == sorted(kinds, key=lambda k: k != COUNTERPART)  # counterparts first
    top = next(r for r in reasons if (r.source, r.sentence) == ref(al, "b", "Korva border"))
    assert top.kind == COUNTERPART and 0.5 <= top.confidence <= 1.0
    matched = " ".join(al.sources[s].text[a:b] for a, b in top.here)  # runs of words
    assert "Korva" in matched and "April" in matched
    assert all(al.sources[top.source].text[a:b] for a, b in top.there)


def test_refs_parse_and_format():
    al = run({"a": HUB_A, "b": HUB_B})
    assert parse_ref("b:2", al.sources) == (1, 1)
    assert format_ref(al.sources, 1, 1) == "b:2"
    for bad in ("b", "z:1", "b:0", "b:99", "b:two", ":3"):
        with pytest.raises(RefError):
            parse_ref(bad, al.sources)


# -- the command line ---------------------------------------------------------------------------


def _write(folder, texts):
    folder.mkdir()
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_cli_strictness_changes_the_counterparts(reader_cli, tmp_path):
    folder = _write(tmp_path / "storm", STORM)
    counts = {}
    for level in ("strict", "normal", "loose"):
        proc = reader_cli("align", folder, "--json", "--no-spans", "--strictness", level)
        assert proc.returncode == 0, proc.stderr
        data = json.loads(proc.stdout)
        assert data["strictness"] == level
        for link in data["links"]:
            assert link["kind"] in ("counterpart", "related")
            assert 0 <= link["confidence"] <= 1
        counts[level] = sum(x["kind"] == "counterpart" for x in data["links"])
    assert counts["strict"] <= counts["normal"] <= counts["loose"]


def test_cli_bad_strictness(reader_cli, tmp_path):
    folder = _write(tmp_path / "storm", STORM)
    proc = reader_cli("align", folder, "--strictness", "sloppy")
    assert proc.returncode == 2 and "strictness" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_explain(reader_cli, tmp_path):
    folder = _write(tmp_path / "hub", {"a.txt": HUB_A, "b.txt": HUB_B, "c.txt": HUB_C})
    proc = reader_cli("align", folder, "--explain", "a.txt:2")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("a.txt:2")
    assert "counterparts:" in proc.stdout and "confidence" in proc.stdout
    assert "matched:" in proc.stdout
    proc = reader_cli("align", folder, "--explain", "a.txt:2", "--json")
    data = json.loads(proc.stdout)
    assert data["name"] == "a.txt" and data["sentence"] == 1
    assert any(x["kind"] == "counterpart" and x["name"] == "b.txt" for x in data["linked"])


@pytest.mark.parametrize(
    "bad, message",
    [
        ("nope.txt:1", "not one of the sources"),
        ("a.txt:99", "has sentences 1 to"),
        ("a.txt:0", "has sentences 1 to"),
        ("a.txt", "expected FILE:N"),
        ("a.txt:x", "not a sentence number"),
    ],
)
def test_cli_explain_bad_reference(reader_cli, tmp_path, bad, message):
    from tests.test_cli import assert_clean_failure

    folder = _write(tmp_path / "hub", {"a.txt": HUB_A, "b.txt": HUB_B})
    assert_clean_failure(reader_cli("align", folder, "--explain", bad), contains=message)
