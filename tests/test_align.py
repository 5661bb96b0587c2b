"""Alignment on small constructed news stories, with exact expected links.

Each fixture is a short article in two or three versions that share one topic
(so every sentence shares some words with every other), the way real rewrites
of one story do. Expectations name sentences by a phrase they contain.
"""

from __future__ import annotations

import pytest

from reader.core.alignment.features import is_boilerplate
from reader.core.alignment.pipeline import align, align_sources
from reader.core.alignment.report import to_json
from reader.core.text.load import documents_from_texts, load_paths
from reader.core.text.segment import segment


def ref(al, name: str, needle: str) -> tuple[int, int]:
    src = next(i for i, s in enumerate(al.sources) if s.name == name)
    hits = [i for i in range(len(al.sources[src])) if needle in al.sources[src].sentence(i)]
    assert len(hits) == 1, f"{needle!r} is in sentences {hits} of {name}"
    return src, hits[0]


def pair(x: tuple[int, int], y: tuple[int, int]) -> tuple[tuple[int, int], tuple[int, int]]:
    return (x, y) if x[0] < y[0] else (y, x)


def link_set(al) -> set[tuple[tuple[int, int], tuple[int, int]]]:
    return {(link.a, link.b) for link in al.counterpart_links}


def describe(al, links) -> list[str]:
    return sorted(
        f"{al.sources[a[0]].name}:{al.sources[a[0]].sentence(a[1])[:50]!r} <-> "
        f"{al.sources[b[0]].name}:{al.sources[b[0]].sentence(b[1])[:50]!r}"
        for a, b in links
    )


def assert_links(
    al,
    expected: list[tuple[tuple[str, str], tuple[str, str]]],
    ignore: tuple[tuple[str, str], ...] = (),
    ignore_refs: set[tuple[int, int]] = frozenset(),
) -> None:
    """The links are exactly ``expected`` (pairs of (source name, phrase)), apart from
    links touching a sentence listed in ``ignore`` (e.g. headlines) or ``ignore_refs``."""
    want = {pair(ref(al, *x), ref(al, *y)) for x, y in expected}
    skip = {ref(al, *x) for x in ignore} | set(ignore_refs)
    got = {p for p in link_set(al) if p[0] not in skip and p[1] not in skip}
    missing, extra = want - got, got - want
    assert not missing and not extra, {
        "missing": describe(al, missing),
        "unexpected": describe(al, extra),
    }


def check_invariants(al) -> None:
    for link in al.links:
        assert link.a[0] < link.b[0]
        assert 0 <= link.a[1] < len(al.sources[link.a[0]])
        assert 0 <= link.b[1] < len(al.sources[link.b[0]])
        assert 0.0 <= link.score <= 1.0


def run(texts: dict[str, str]):
    al = align(documents_from_texts(texts))
    check_invariants(al)
    return al


# -- reorder ---------------------------------------------------------------------------------

WILDFIRE_A = """Wildfire destroys hundreds of homes near Athens

A wildfire fanned by strong winds swept through the hills north of Athens on Monday, destroying more than 300 homes. Firefighters backed by twelve water-bombing aircraft battled the flames through the night. Civil protection minister Nikos Hardalias said the blaze was the worst the region had seen in a decade. About 4,000 residents of the villages of Varympompi and Tatoi were ordered to evacuate. Two volunteer firefighters were taken to hospital with burns. Prime Minister Kyriakos Mitsotakis cut short a trip to Brussels to return to the capital. Meteorologists expect temperatures above 40 degrees Celsius until Thursday.
"""
WILDFIRE_B = """Athens wildfire burns through hundreds of houses

Prime Minister Kyriakos Mitsotakis cut short his visit to Brussels and flew back to Athens. Temperatures are expected to stay above 40 degrees Celsius until Thursday, meteorologists said. Fanned by strong winds, a wildfire raced through the hills north of Athens on Monday and destroyed over 300 homes. Some 4,000 people living in Varympompi and Tatoi were told to leave their villages. Twelve water-bombing aircraft supported the firefighters who fought the flames all night. Minister for civil protection Nikos Hardalias called it the worst blaze in the region in ten years. Two volunteer firefighters suffered burns and were taken to hospital.
"""
WILDFIRE_LINKS = [
    (("a", "swept through the hills"), ("b", "raced through the hills")),
    (("a", "battled the flames"), ("b", "fought the flames")),
    (("a", "Hardalias said"), ("b", "Hardalias called")),
    (("a", "ordered to evacuate"), ("b", "told to leave")),
    (("a", "taken to hospital with burns"), ("b", "suffered burns")),
    (("a", "cut short a trip"), ("b", "cut short his visit")),
    (("a", "Meteorologists expect"), ("b", "meteorologists said")),
]
WILDFIRE_HEADLINES = (("a", "Wildfire destroys"), ("b", "Athens wildfire burns"))


def test_reordered_sentences_link_to_their_counterparts():
    al = run({"a": WILDFIRE_A, "b": WILDFIRE_B})
    assert_links(al, WILDFIRE_LINKS, ignore=WILDFIRE_HEADLINES)


def test_reorder_result_does_not_depend_on_source_order():
    al = run({"b": WILDFIRE_B, "a": WILDFIRE_A})
    assert_links(al, WILDFIRE_LINKS, ignore=WILDFIRE_HEADLINES)


# -- split and merge ---------------------------------------------------------------------------

FLOOD_LONG = """Floods force thousands from their homes in Porto

Heavy rain caused the Douro river to burst its banks on Tuesday, flooding the historic centre of Porto and forcing more than 3,000 residents to leave their homes. Civil protection chief Ana Ferreira said the water rose by two metres in less than six hours. Emergency crews used boats to rescue elderly people trapped on the upper floors of flooded buildings. The government announced an emergency fund of 40 million euros to help families and small businesses rebuild. Schools in the riverside districts will stay closed until Friday.
"""
FLOOD_SPLIT = """Douro floods drive thousands out of Porto

The Douro river burst its banks on Tuesday after heavy rain. More than 3,000 residents of the historic centre of Porto had to leave their homes. According to civil protection chief Ana Ferreira, the water rose two metres in under six hours. Rescue teams in boats saved elderly residents trapped on the upper floors of flooded buildings. Local football club FC Porto postponed its weekend match against Benfica.
"""


def test_one_sentence_split_into_two_links_both_parts():
    al = run({"long": FLOOD_LONG, "split": FLOOD_SPLIT})
    assert_links(
        al,
        [
            (("long", "Heavy rain caused"), ("split", "burst its banks on Tuesday after")),
            (("long", "Heavy rain caused"), ("split", "More than 3,000 residents")),
            (("long", "Ana Ferreira said"), ("split", "According to civil protection")),
            (("long", "Emergency crews used boats"), ("split", "Rescue teams in boats")),
        ],
        ignore=(("long", "Floods force"), ("split", "Douro floods drive")),
    )


FLOOD_TWO = """Floods force thousands from their homes in Porto

Heavy rain caused the Douro river to burst its banks on Tuesday. The water rose by two metres in less than six hours, civil protection chief Ana Ferreira said. Emergency crews used boats to rescue elderly people trapped on the upper floors of flooded buildings. The government announced an emergency fund of 40 million euros for families and small businesses.
"""
FLOOD_MERGED = """Douro floods drive thousands out of Porto

The Douro river burst its banks on Tuesday after heavy rain, and the water rose two metres in under six hours, according to civil protection chief Ana Ferreira. Rescue teams in boats saved elderly residents trapped on the upper floors of flooded buildings. Lisbon promised an emergency fund of 40 million euros to help families and small businesses rebuild. Local football club FC Porto postponed its weekend match against Benfica.
"""
FLOOD_MERGE_LINKS = [
    (("two", "Heavy rain caused"), ("merged", "burst its banks on Tuesday after")),
    (("two", "The water rose by two metres"), ("merged", "burst its banks on Tuesday after")),
    (("two", "Emergency crews used boats"), ("merged", "Rescue teams in boats")),
    (("two", "The government announced"), ("merged", "Lisbon promised")),
]
FLOOD_MERGE_HEADLINES = (("two", "Floods force"), ("merged", "Douro floods drive"))


@pytest.mark.parametrize("order", ["two-first", "merged-first"])
def test_two_sentences_merged_into_one_link_both(order):
    texts = {"two": FLOOD_TWO, "merged": FLOOD_MERGED}
    if order == "merged-first":
        texts = dict(reversed(texts.items()))
    al = run(texts)
    assert_links(al, FLOOD_MERGE_LINKS, ignore=FLOOD_MERGE_HEADLINES)
    merged = ref(al, "merged", "burst its banks")
    assert al.support(*merged) == 2
    assert len(al.counterparts(*merged)) == 2


# -- paraphrase with machine-translation noise -----------------------------------------------

MT_A = """Mutual warnings and a bit of optimism: Biden and Putin talked about Ukraine

US President Joe Biden and Russian President Vladimir Putin talked on Thursday for about 50 minutes about the tensions on the Ukrainian border. “Significant progress in these dialogues can only occur in an environment of calm and not escalation,” White House spokeswoman Jen Pasky said. Kremlin official Yuri Ushkov said the conversation provided a good basis for future talks. Putin responded immediately that any sanctions could lead to a complete collapse of relations between the two countries. The talks in Geneva are scheduled for January 10.
"""
MT_B = """A serious conversation between Biden and Putin set the stage for diplomacy

Biden and Putin spoke for 50 minutes on Thursday about tensions near the Ukrainian border, the White House said. “Significant progress in these dialogues can only happen in a de-escalated environment, not an escalation,” said White House spokeswoman Jen Psaki. Kremlin aide Yuri Ushakov said the talks set a good background for future talks. Putin immediately responded that any sanctions could lead to a complete severance of ties between our countries. Psaki added that the president remains committed to diplomacy. Russian and American negotiators will meet in Geneva on January 10.
"""


def test_machine_translation_noise_still_links():
    al = run({"mt": MT_A, "wire": MT_B})
    assert_links(
        al,
        [
            (("mt", "talked on Thursday"), ("wire", "spoke for 50 minutes")),
            (("mt", "Jen Pasky"), ("wire", "Jen Psaki")),
            (("mt", "good basis"), ("wire", "good background")),
            (("mt", "responded immediately"), ("wire", "immediately responded")),
            (("mt", "Geneva are scheduled"), ("wire", "negotiators will meet")),
        ],
        ignore=(("mt", "Mutual warnings"), ("wire", "A serious conversation")),
    )
    assert al.is_unique(*ref(al, "wire", "Psaki added"))


MOVED_A = """Biden and Putin hold a serious call about Ukraine

US President Joe Biden and Russian President Vladimir Putin spoke by phone for 50 minutes on Thursday, their second call this month. White House spokeswoman Jen Pasky said significant progress could only occur in an environment of calm and not escalation. Kremlin aide Yuri Ushkov said the conversation provided a good basis for future talks in Geneva. Biden repeated his threat of unprecedented sanctions if Russia invades Ukraine. Putin warned that new sanctions could lead to a complete collapse of relations between the two countries.
"""
MOVED_B = """A serious call between Biden and Putin sets the stage for diplomacy

Russian President Vladimir Putin warned that sanctions could cause a complete rupture of ties between Moscow and Washington. Biden and Putin talked for 50 minutes on Thursday, the second conversation between the two leaders in a month. Kremlin assistant Yuri Ushakov said the call provided a good background for the talks planned in Geneva. For his part, Biden reiterated his threat of unprecedented sanctions should Russia invade Ukraine. Press Secretary Jen Psaki said significant progress can only take place in a de-escalated environment, not an escalation.
"""


def test_reworded_and_moved_sentences_with_mt_noise():
    """Rewording, name garbling and reordering at once (as between the seeds 000 and 003).

    "Putin warned ... collapse of relations" / "... rupture of ties" share few words,
    and the lead (which names Biden, Putin and their titles) competes for the second;
    with two sources there is no third to agree. Precision first: it is a counterpart
    at normal strictness (its confidence is under 0.5, above the normal bar of 0.45), and
    listed as related at strict."""
    al = run({"a": MOVED_A, "b": MOVED_B})
    strong = [
        (("a", "spoke by phone"), ("b", "talked for 50 minutes")),
        (("a", "Jen Pasky"), ("b", "Jen Psaki")),
        (("a", "good basis"), ("b", "good background")),
        (("a", "Biden repeated"), ("b", "Biden reiterated")),
    ]
    warned = (("a", "Putin warned"), ("b", "Putin warned"))
    headlines = (("a", "hold a serious call"), ("b", "sets the stage"))
    assert_links(al, [*strong, warned], ignore=headlines)
    strict = al.at("strict")
    related = {(x.a, x.b): x.confidence for x in strict.links if x.kind == "related"}
    assert 0.45 <= related[pair(ref(al, *warned[0]), ref(al, *warned[1]))] < 0.5
    assert_links(al.at("loose"), [*strong, warned], ignore=headlines)


# -- unique and boilerplate ------------------------------------------------------------------


def test_sentences_without_counterpart_are_unique():
    al = run({"long": FLOOD_LONG, "split": FLOOD_SPLIT})
    schools = ref(al, "long", "Schools in the riverside")
    football = ref(al, "split", "FC Porto postponed")
    for x in (schools, football):
        assert al.is_unique(*x)
        assert al.support(*x) == 1
        assert al.counterparts(*x) == []
    assert al.unique_count(0) >= 1 and al.unique_count(1) >= 1


BOILER_TAIL = {
    "a": "\n\nPsaki declined to comment on the Kremlin's account of the call.\n\nLeave a Comment\n",
    "b": "\n\nA White House spokesman did not respond to a request for comment.\n\nLeave a Comment\n\nRead also\n",
    "c": "\n\nShare this article\n\nLeave a comment\n",
}


def test_boilerplate_never_links():
    texts = {
        "a": WILDFIRE_A + BOILER_TAIL["a"],
        "b": WILDFIRE_B + BOILER_TAIL["b"],
        "c": FLOOD_LONG + BOILER_TAIL["c"],
    }
    al = run(texts)
    boiler = set()
    for si, src in enumerate(al.sources):
        for i in range(len(src)):
            s = src.sentence(i)
            if s.lower() in ("leave a comment", "read also", "share this article"):
                assert al.is_boilerplate(si, i), s
                boiler.add((si, i))
            else:
                assert not al.is_boilerplate(si, i), s
    assert len(boiler) == 5
    for link in al.links:
        assert link.a not in boiler and link.b not in boiler, describe(al, [(link.a, link.b)])
    # the real content still aligns
    assert pair(ref(al, "a", "cut short a trip"), ref(al, "b", "cut short his visit")) in link_set(
        al
    )


def test_boilerplate_detector():
    for s in (
        "Leave a Comment",
        "Leave a Reply",
        "Read also",
        "read more:",
        "No comments:",
        "Post a Comment",
        "Share this article",
        "Advertisement",
        "Leia também",
    ):
        assert is_boilerplate(s), s
    for s in (
        "Psaki declined to comment on the Kremlin's account.",
        "Read also the statement of the Kremlin, which says the call was constructive.",
        "Biden talks with Putin (Photo: Reuters)",
    ):
        assert not is_boilerplate(s), s


# -- repeated sentences ------------------------------------------------------------------------

REPEAT_A = """Talks on the Danube dam stall twice in one week

On Monday, engineers from Hungary and Slovakia met in Komarno to discuss the water level of the reservoir. They could not agree on how much water should flow into the old riverbed. The meeting ended without an agreement. On Thursday, the two environment ministers met in Budapest to discuss compensation for farmers. Slovakia rejected the Hungarian proposal of 15 million euros. The meeting ended without an agreement. A new round is planned for March.
"""
REPEAT_B = """Danube dam negotiations fail again

Hungarian and Slovak engineers held talks in Komarno on Monday about the level of the reservoir. They disagreed over the amount of water released into the old riverbed. The meeting ended without an agreement. The environment ministers of both countries then met in Budapest on Thursday over compensation for farmers. Bratislava turned down a Hungarian offer of 15 million euros. The meeting ended without an agreement. The negotiators will meet again in March.
"""


def test_repeated_identical_sentences_link_by_context():
    al = run({"a": REPEAT_A, "b": REPEAT_B})
    src_a, src_b = al.sources
    rep_a = [
        i
        for i in range(len(src_a))
        if src_a.sentence(i) == "The meeting ended without an agreement."
    ]
    rep_b = [
        i
        for i in range(len(src_b))
        if src_b.sentence(i) == "The meeting ended without an agreement."
    ]
    assert len(rep_a) == 2 and len(rep_b) == 2
    links = link_set(al)
    assert ((0, rep_a[0]), (1, rep_b[0])) in links
    assert ((0, rep_a[1]), (1, rep_b[1])) in links
    assert ((0, rep_a[0]), (1, rep_b[1])) not in links
    assert ((0, rep_a[1]), (1, rep_b[0])) not in links
    assert_links(
        al,
        [
            (("a", "engineers from Hungary"), ("b", "Hungarian and Slovak engineers")),
            (("a", "They could not agree"), ("b", "They disagreed")),
            (("a", "environment ministers met"), ("b", "environment ministers of both")),
            (("a", "Slovakia rejected"), ("b", "Bratislava turned down")),
            (("a", "new round"), ("b", "meet again in March")),
        ],
        ignore=(("a", "Talks on the Danube"), ("b", "Danube dam negotiations")),
        ignore_refs={(0, i) for i in rep_a} | {(1, j) for j in rep_b},
    )  # checked above


# -- N-way groups ------------------------------------------------------------------------------

GROUP_A = """Dutch parliament approves farm nitrogen plan

The Dutch parliament voted 92 to 58 on Tuesday to approve a plan that will cut nitrogen emissions from farms by half before 2030. Thousands of farmers drove their tractors to The Hague to protest against the vote. Agriculture minister Henk Staghouwer said the government would spend 25 billion euros to buy out livestock farms.
"""
GROUP_B = """Netherlands backs nitrogen cuts despite farmer anger

Thousands of angry farmers rode tractors into The Hague in protest before the vote. Lawmakers approved the plan by 92 votes to 58 on Tuesday, halving nitrogen emissions from agriculture by 2030. Police arrested eleven protesters who blocked a motorway near Utrecht.
"""
GROUP_C = """Nitrogen plan clears the lower house

On Tuesday the lower house backed the plan to halve farm nitrogen emissions by 2030, by 92 votes to 58. The government has set aside 25 billion euros to buy out livestock farms, agriculture minister Henk Staghouwer said. Dairy exports rose by four percent last year.
"""


def test_group_of_three_sources():
    al = run({"a": GROUP_A, "b": GROUP_B, "c": GROUP_C})
    vote = {
        ref(al, "a", "voted 92 to 58"),
        ref(al, "b", "92 votes to 58"),
        ref(al, "c", "92 votes to 58"),
    }
    groups = [set(g) for g in al.groups]
    # the vote is the one passage all three tell: the first group, and the only one of 3
    assert groups[0] == vote
    assert [g for g in groups if len({s for s, _ in g}) == 3] == [vote]
    for x in vote:
        assert al.support(*x) == 3
    # shared by two of three sources
    tractors = {ref(al, "a", "drove their tractors"), ref(al, "b", "rode tractors")}
    billions = {ref(al, "a", "25 billion euros"), ref(al, "c", "25 billion euros")}
    assert tractors in groups and billions in groups
    for x in tractors | billions:
        assert al.support(*x) == 2
    for x in (ref(al, "b", "Police arrested"), ref(al, "c", "Dairy exports")):
        assert al.is_unique(*x)
    data = to_json(al)
    assert {"sources": 3, "members": sorted([list(m) for m in vote])} in data["groups"]


def test_short_headline_does_not_link_to_a_body_sentence_sharing_one_name():
    """A headline that shares only a place name ("The Hague") with a body sentence of
    another version is not its counterpart."""
    c = GROUP_C.replace("Nitrogen plan clears the lower house", "Nitrogen plan passes in The Hague")
    al = run({"a": GROUP_A, "b": GROUP_B, "c": c})
    headline = ref(al, "c", "Nitrogen plan passes")
    for x in (ref(al, "a", "drove their tractors"), ref(al, "b", "rode tractors")):
        assert pair(headline, x) not in link_set(al), describe(al, [pair(headline, x)])


# -- the sample data ---------------------------------------------------------------------------


def _sample_ref(al, prefix: str, needle: str) -> tuple[int, int]:
    name = next(s.name for s in al.sources if s.name.startswith(prefix))
    return ref(al, name, needle)


def test_sample_pasky_links_to_psaki(sample_alignment):
    al = sample_alignment
    pasky = _sample_ref(al, "000_", "Jen Pasky")
    psaki = _sample_ref(al, "003_", "Jen Psaki")
    assert pair(pasky, psaki) in link_set(al)
    assert pair(_sample_ref(al, "001_", "Jen Psaki"), psaki) in link_set(al)


def test_sample_ushakov_sentences(sample_alignment):
    al = sample_alignment
    links = link_set(al)
    # Sir. Ushakov (003) is the same sentence as Ushakov said Putin "responded immediately" (001)
    assert (
        pair(
            _sample_ref(al, "003_", "Sir. Ushakov"),
            _sample_ref(al, "001_", 'Putin "responded immediately"'),
        )
        in links
    )
    assert (
        pair(_sample_ref(al, "003_", "good background"), _sample_ref(al, "001_", "good background"))
        in links
    )


def test_sample_good_basis_links_to_good_background(sample_alignment):
    """000 merges "good basis for future talks" and "Putin responded immediately" into
    one sentence; 001 and 003 have them as two: both halves must link (1-2)."""
    al = sample_alignment
    merged = _sample_ref(al, "000_", "good basis")
    links = link_set(al)
    for prefix in ("001_", "003_"):
        assert pair(merged, _sample_ref(al, prefix, "good background")) in links, prefix
    assert pair(merged, _sample_ref(al, "003_", "Sir. Ushakov")) in links


def test_sample_boilerplate_is_not_linked(sample_alignment):
    al = sample_alignment
    for si, src in enumerate(al.sources):
        for i in range(len(src)):
            if src.sentence(i) in ("Leave a Comment", "Leave a Reply", "Post a Comment"):
                assert al.is_boilerplate(si, i)
                assert al.is_unique(si, i)


def test_sample_alignment_is_deterministic_and_order_free(sample_dir):
    docs = load_paths([sample_dir]).documents
    first = align(docs)
    again = align(docs)
    assert [(l.a, l.b, l.score) for l in first.links] == [(l.a, l.b, l.score) for l in again.links]
    rev = align(list(reversed(docs)))

    def named(al):
        return {
            frozenset({(al.sources[l.a[0]].name, l.a[1]), (al.sources[l.b[0]].name, l.b[1])})
            for l in al.links
        }

    assert named(rev) == named(first)


# -- API details ---------------------------------------------------------------------------------


def test_align_sources_equals_align(make_docs):
    docs = make_docs({"a": WILDFIRE_A, "b": WILDFIRE_B})
    assert [(l.a, l.b, l.score) for l in align_sources(segment(docs)).links] == [
        (l.a, l.b, l.score) for l in align(docs).links
    ]


def test_progress_callback_reports_fractions():
    seen = []
    align(
        documents_from_texts({"a": WILDFIRE_A, "b": WILDFIRE_B, "c": FLOOD_LONG}),
        progress=lambda msg, frac: seen.append((msg, frac)),
    )
    assert seen and seen[-1][1] == 1.0
    fracs = [f for _, f in seen]
    assert fracs == sorted(fracs) and all(0.0 <= f <= 1.0 for f in fracs)


def test_locate_places_a_unique_sentence_between_its_neighbours_counterparts():
    al = run({"long": FLOOD_LONG, "split": FLOOD_SPLIT})
    football = ref(al, "split", "FC Porto postponed")
    idx, found = al.locate(*football, other=0)
    assert not found and 0 <= idx < len(al.sources[0])
    pasky_like = ref(al, "long", "Ana Ferreira said")
    idx, found = al.locate(*pasky_like, other=1)
    assert found and idx == ref(al, "split", "According to civil protection")[1]


def test_json_spans_lie_inside_their_sentences():
    al = run({"a": WILDFIRE_A, "b": WILDFIRE_B})
    data = to_json(al, text=True)
    for link in data["links"]:
        for side in ("a", "b"):
            si, i = link[side]
            s, e = data["sources"][si]["sentences"][i]
            spans = link["spans"][side]
            assert spans, link
            for x, y in spans:
                assert s <= x < y <= e
    for p in data["passages"]:
        assert p["words"] >= 6 and len({o[0] for o in p["occurrences"]}) >= 2


def test_two_empty_of_overlap_sources_give_no_links():
    al = run({"a": "Completely different words here.\n", "b": "Nothing shared at all, truly.\n"})
    assert al.links == [] and al.groups == []


def test_single_source_and_empty_source():
    al = run({"a": WILDFIRE_A})
    assert al.links == []
    al = run({"a": WILDFIRE_A, "empty": ""})
    assert al.links == [] and len(al.sources[1]) == 0


def test_json_text_is_the_json_of_to_json_byte_for_byte():
    """`reader align --json` writes each link's JSON where its matched words are found
    (to_json_text): the same text as dumping to_json, with hostile names, a reader's
    link (``by``), the text and no spans."""
    from reader.core.alignment.corrections import LINK, Corrections
    from reader.core.alignment.model import Alignment
    from reader.core.alignment.report import to_json_text
    from reader.core.visible import json_text

    al = run({"a\u202e\x1b[31m": WILDFIRE_A, "b\u2028": WILDFIRE_B})
    assert al.pool is not None
    user = Corrections.of([(((0, 0), (1, len(al.sources[1]) - 1)), LINK)])
    corrected = Alignment.classified(al.sources, al.pool, al.boilerplate, corrections=user)
    assert any(x.by != "aligner" for x in corrected.links)
    for one in (al, corrected):
        for spans in (True, False):
            for text in (True, False):
                want = json_text(to_json(one, spans=spans, text=text), separators=(",", ":"))
                assert to_json_text(one, spans=spans, text=text) == want
    assert "\\u202e" in to_json_text(al)
    # numbers the aligner never makes take the encoder's way: the same text still
    import numpy as np

    from reader.core.alignment.links import Link

    odd = [Link(x.a, x.b, np.float64(x.score), x.confidence, x.kind, x.by) for x in al.links]
    odd[0] = Link(odd[0].a, odd[0].b, float("nan"), 1.0, odd[0].kind, "user")
    other = Alignment(al.sources, odd, al.boilerplate)
    assert to_json_text(other) == json_text(to_json(other), separators=(",", ":"))
